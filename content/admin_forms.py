"""The course editor's form in /cms/: refuses a prerequisite that would make a cycle."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from .prerequisites import prerequisite_cycle


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("prerequisites")
        if field is not None:  # the other courses, by title (a course is never its own prerequisite)
            field.queryset = self._meta.model.objects.exclude(pk=self.instance.pk).order_by("title")

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("prerequisites")
        if chosen is None:
            return cleaned
        chosen_ids = [course.pk for course in chosen]
        if self.instance.pk is not None and self.instance.pk in chosen_ids:
            self.add_error("prerequisites", _("Kursus tidak bisa menjadi prasyarat dirinya sendiri."))
            return cleaned
        cycle = prerequisite_cycle(model=self._meta.model, course_id=self.instance.pk, prerequisite_ids=chosen_ids)
        if cycle:
            path = " → ".join([self.instance.title or _("kursus ini"), *cycle])
            self.add_error(
                "prerequisites",
                forms.ValidationError(
                    _("Prasyarat melingkar: %(path)s. Hapus salah satu prasyarat itu.") % {"path": path}
                ),
            )
        return cleaned
