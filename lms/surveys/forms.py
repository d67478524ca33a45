"""Forms of the survey pages. The rules are the services'; these only read the request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import LIKERT_LABELS, Section, SurveyItem
from .selectors import Target, courses_linkable, sessions_linkable, templates_attachable
from .services import MAX_TEXT, answer_keys

LIKERT_CHOICES = [(str(value), f"{value} · {label}") for value, label in LIKERT_LABELS.items()]


def field_name(item_id: int, trainer_id: int | None) -> str:
    return f"i{item_id}_t{trainer_id}" if trainer_id else f"i{item_id}"


class SurveyForm(forms.Form):
    """One field per statement (the trainer section's once per trainer) and per open question."""

    def __init__(self, *args, target: Target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        trainers = {t.pk: t for t in target.trainers()}
        self.keys = answer_keys(target=target)
        self.groups: list[tuple[str, list]] = []
        current = None
        for item, trainer_id in self.keys:
            name = field_name(item.pk, trainer_id)
            if item.kind == SurveyItem.Kind.LIKERT:
                field = forms.ChoiceField(
                    label=item.text,
                    choices=LIKERT_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "likert"}),
                    error_messages={"required": _("Pilih nilai 1-5.")},
                )
            else:
                field = forms.CharField(
                    label=item.text, required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
                )
            self.fields[name] = field
            heading = (
                Section(item.section).label
                if trainer_id is None
                else _("Pelatih: %(name)s") % {"name": trainers[trainer_id].display_name}
            )
            if heading != current:
                self.groups.append((heading, []))
                current = heading
            self.groups[-1][1].append(name)

    def grouped(self):
        return [(heading, [self[name] for name in names]) for heading, names in self.groups]

    def answers(self) -> dict[tuple[int, int | None], str]:
        return {(item.pk, trainer): self.cleaned_data.get(field_name(item.pk, trainer)) for item, trainer in self.keys}


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Judul survei"), max_length=200)
    description = forms.CharField(
        label=_("Pengantar untuk peserta"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in Section:
            help_text = (
                _("Satu pertanyaan terbuka per baris (boleh dikosongkan peserta).")
                if section == Section.COMMENT
                else _("Satu pernyataan per baris; peserta menilai 1 (sangat tidak setuju) sampai 5 (sangat setuju).")
            )
            if section == Section.TRAINER:
                help_text = _("Ditanyakan untuk setiap pelatih kelas atau kursus. ") + help_text
            self.fields[f"section_{section.value}"] = forms.CharField(
                label=section.label, required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=help_text
            )

    def sections(self) -> dict[str, list[str]]:
        return {s.value: self.cleaned_data.get(f"section_{s.value}", "").splitlines() for s in Section}

    @staticmethod
    def initial_for(template) -> dict:
        initial = {"title": template.title, "description": template.description}
        for section in Section:
            lines = [i.text for i in template.items.order_by("position") if i.section == section]
            initial[f"section_{section.value}"] = "\n".join(lines)
        return initial


class LinkForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Templat survei"), queryset=None)
    course = forms.ModelChoiceField(
        label=_("Kursus daring"), queryset=None, required=False, help_text=_("Atau pilih satu kelas di bawah.")
    )
    session = forms.ModelChoiceField(label=_("Kelas tatap muka"), queryset=None, required=False)
    required_for_certificate = forms.BooleanField(
        label=_("Wajib diisi sebelum sertifikat terbit"), required=False, initial=True
    )
    follow_up = forms.BooleanField(label=_("Kirim survei tindak lanjut (level 3)"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates_attachable(user=user)
        self.fields["course"].queryset = courses_linkable(user=user)
        self.fields["session"].queryset = sessions_linkable(user=user)

    def clean(self):
        data = super().clean()
        if bool(data.get("course")) == bool(data.get("session")):
            raise forms.ValidationError(_("Pilih satu kursus atau satu kelas, tidak keduanya."))
        return data


class FollowUpForm(forms.Form):
    applied = forms.ChoiceField(
        label=_("Hasil pelatihan sudah diterapkan di tempat kerja"),
        choices=LIKERT_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "likert"}),
        error_messages={"required": _("Pilih nilai 1-5.")},
    )
    example = forms.CharField(
        label=_("Contoh penerapan (atau mengapa belum diterapkan)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
