"""What trainers publish: a catalogue, courses and their lessons (Wagtail pages)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .admin_forms import CoursePageForm
from .blocks import LessonStreamBlock
from .video import player_scripts
from .widgets import UserSearchSelectMultiple


class CompetencyCategory(models.TextChoices):
    TEKNIS = "teknis", _("Teknis")
    MANAJERIAL = "manajerial", _("Manajerial")
    SOSIAL_KULTURAL = "sosial_kultural", _("Sosial kultural")
    PEMERINTAHAN = "pemerintahan", _("Pemerintahan")


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Daring (online)")
    CLASSROOM = "classroom", _("Klasikal (tatap muka)")
    BLENDED = "blended", _("Campuran (blended)")


class DevelopmentForm(models.TextChoices):
    """Bentuk pengembangan kompetensi (docs/domain/jp-ledger.md, "Forms of development")."""

    E_LEARNING = "e_learning", _("E-learning")
    PELATIHAN = "pelatihan", _("Pelatihan klasikal")
    SEMINAR = "seminar", _("Seminar / konferensi")
    WORKSHOP = "workshop", _("Lokakarya / workshop")
    KURSUS = "kursus", _("Kursus")
    BIMTEK = "bimtek", _("Bimbingan teknis")
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    DISTANCE = "pelatihan_jarak_jauh", _("Pelatihan jarak jauh")
    COACHING = "coaching", _("Coaching")
    MENTORING = "mentoring", _("Mentoring")
    SELF_STUDY = "belajar_mandiri", _("Belajar mandiri")
    COMMUNITY = "komunitas_belajar", _("Komunitas belajar")
    MICROLEARNING = "microlearning", _("Microlearning")


class CatalogPage(Page):
    """The course catalogue: search and filters over the published courses below it."""

    intro = RichTextField(_("pengantar"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["content.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("katalog kursus")

    def get_context(self, request, *args, **kwargs):
        from .forms import CatalogFilterForm
        from .selectors import course_search

        context = super().get_context(request, *args, **kwargs)
        form = CatalogFilterForm(request.GET or None)
        courses = course_search(catalog=self, filters=form.cleaned_filters())
        context["filter_form"] = form
        context["page_obj"] = Paginator(courses, 12).get_page(request.GET.get("halaman"))
        return context


class CoursePage(Page):
    summary = models.TextField(_("ringkasan"), max_length=600)
    category = models.CharField(_("kategori kompetensi"), max_length=32, choices=CompetencyCategory.choices)
    delivery_mode = models.CharField(
        _("moda"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.ONLINE
    )
    development_form = models.CharField(
        _("bentuk pengembangan"), max_length=32, choices=DevelopmentForm.choices, default=DevelopmentForm.E_LEARNING
    )
    jp = models.DecimalField(
        _("JP"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Nilai JP tetap yang dikreditkan saat kursus selesai (ditetapkan admin)."),
    )
    objectives = RichTextField(_("tujuan pembelajaran"), blank=True, features=["ol", "ul", "bold", "italic"])
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("gambar sampul"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelatih"),
        blank=True,
        related_name="courses_taught",
    )
    # Courses a learner completes before enrolling in this one (lms refuses the enrolment, naming them);
    # a cycle is refused in the editor (CoursePageForm).
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prasyarat"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Kursus yang harus sudah diselesaikan pegawai sebelum mendaftar kursus ini."),
    )
    due_date = models.DateField(
        _("tenggat penyelesaian"),
        null=True,
        blank=True,
        help_text=_(
            "Tanggal terakhir menyelesaikan kursus bagi setiap peserta. Tenggat yang diberikan saat "
            "penugasan seorang pegawai berlaku untuk pegawai itu."
        ),
    )

    base_form_class = CoursePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("delivery_mode"), FieldPanel("development_form"), FieldPanel("jp")],
            heading=_("Klasifikasi dan JP"),
        ),
        FieldPanel("objectives"),
        FieldPanel("cover_image"),
        FieldPanel("trainers", widget=UserSearchSelectMultiple),
        MultiFieldPanel(
            [FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple), FieldPanel("due_date")],
            heading=_("Prasyarat dan tenggat"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("objectives"),
        index.FilterField("category"),
        index.FilterField("delivery_mode"),
        index.FilterField("jp"),
    ]
    parent_page_types = ["content.CatalogPage"]
    subpage_types = ["content.LessonPage"]

    class Meta:
        verbose_name = _("kursus")
        verbose_name_plural = _("kursus")

    def lessons(self):
        return LessonPage.objects.child_of(self).live().order_by("path")

    def open_for_enrolment(self) -> bool:
        """Live with at least one live lesson: a course approved before its lessons has nothing to learn yet."""
        return self.live and self.lessons().exists()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            from .selectors import lessons_for_preview

            # A reviewer approves what is submitted: every lesson as drafted, published or not.
            context["preview_lessons"] = lessons_for_preview(course=self)
            context["unpublished_lessons"] = [lesson for lesson in context["preview_lessons"] if not lesson.live]
        return context


class LessonPage(Page):
    body = StreamField(LessonStreamBlock(), verbose_name=_("isi"), blank=False)
    required = models.BooleanField(_("wajib"), default=True, help_text=_("Wajib diselesaikan untuk lulus kursus."))
    estimated_minutes = models.PositiveSmallIntegerField(_("perkiraan durasi (menit)"), default=10)

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("required"), FieldPanel("estimated_minutes")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["content.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("pelajaran")
        verbose_name_plural = _("pelajaran")

    @property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(pk=self.get_parent().pk)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The embedded players' own scripts, on this page only (django-csp adds them to the site's policy).
        scripts = player_scripts(value.embed for _block_id, value in self.video_items if value.trackable)
        if scripts:
            response._csp_update = {"script-src": scripts}
        return response

    @property
    def quiz(self):
        """The lesson's quiz block value, or None."""
        for block in self.body:
            if block.block_type == "quiz":
                return block.value
        return None

    @property
    def h5p_items(self) -> list:
        """The lesson's H5P block values (content, required, pass_mark) whose content still exists."""
        return [block.value for block in self.body if block.block_type == "h5p" and block.value["content"]]

    @property
    def video_items(self) -> list:
        """(block id, value) of the lesson's video blocks; a block's id names its video in xAPI statements."""
        return [(block.id, block.value) for block in self.body if block.block_type == "video"]

    @property
    def video_gated(self) -> bool:
        """Completed once its required, trackable videos were watched, not by the 'mark done' button."""
        return any(value.gates for _block_id, value in self.video_items)

    @property
    def h5p_gated(self) -> bool:
        """Completed by the learner's H5P results, not by the 'mark done' button."""
        return any(item["required"] and item["content"].scorable for item in self.h5p_items)
