"""The course's trainers picked by searching (20,000 employees): only the chosen ones are in the page."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from shell.people.models import User
from shell.people.selectors import user_choice_label


class UserSearchSelectMultiple(forms.SelectMultiple):
    """A multiple choice of users as a search-as-you-type combobox (static/js/autocomplete.js) over the
    admin's user search; the form's field still validates the chosen keys against its queryset."""

    template_name = "content/widgets/user_search.html"

    class Media:
        js = ["js/autocomplete.js"]
        css = {"all": ["css/autocomplete.css"]}

    def _render(self, template_name, context, renderer=None):
        # The project's one template tree (templates/), which the forms renderer does not search.
        return mark_safe(render_to_string(template_name, context))

    def optgroups(self, name, value, attrs=None):
        # Never iterate the choices (every user): build the options of the chosen ones only.
        keys = [str(v) for v in value if str(v).isdigit()]
        users = {str(u.pk): u for u in User.objects.filter(pk__in=keys).select_related("unit")}
        options = [
            self.create_option(name, key, user_choice_label(users[key]), True, index)
            for index, key in enumerate(keys)
            if key in users
        ]
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("content_user_search")
        context["widget"]["texts"] = {
            "empty": _("Tidak ada pegawai yang cocok."),
            "count": _("%s pegawai ditemukan."),
            "remove": _("Hapus %s"),
            "placeholder": _("Ketik nama pegawai…"),
            "chosen": _("Terpilih"),
        }
        return context
