from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Quiz, QuizSlot


class ImportForm(forms.Form):
    FORMATS = (("gift", "GIFT"), ("moodle", "Moodle XML"))

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    file = forms.FileField(label=_("Berkas"), help_text=_("Paling besar 5 MB."))


class GiftQuestionForm(forms.Form):
    """One or more questions typed in GIFT (the format Moodle trainers know)."""

    category = forms.CharField(label=_("Kategori"), max_length=200)
    gift = forms.CharField(
        label=_("Soal (format GIFT)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50_000,
        help_text=_("Contoh: ::Ibu kota::Ibu kota Banten? {=Serang ~Tangerang ~Cilegon}"),
    )


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = [
            "title",
            "kind",
            "session",
            "blueprint_from",
            "time_limit_minutes",
            "attempts_allowed",
            "grading",
            "pass_mark",
            "shuffle_options",
            "review_answers",
            "review_correct",
            "closes_at",
            "gates_completion",
        ]
        widgets = {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["session"].queryset = course.class_sessions.all()
        self.fields["blueprint_from"].queryset = Quiz.objects.filter(course=course).exclude(pk=self.instance.pk)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        exists = Quiz.objects.filter(course=self.course, kind=kind, session=data.get("session")).exclude(
            pk=self.instance.pk
        )
        if kind and kind != Quiz.Kind.QUIZ and exists.exists():
            raise forms.ValidationError(_("Kursus atau angkatan ini sudah memiliki tes jenis itu."))
        return data


class SlotForm(forms.ModelForm):
    class Meta:
        model = QuizSlot
        fields = ["category", "count", "difficulty", "tag"]

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(course=course)


class EssayGradeForm(forms.Form):
    percent = forms.IntegerField(label=_("Nilai (%)"), min_value=0, max_value=100)
    feedback = forms.CharField(
        label=_("Umpan balik"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
