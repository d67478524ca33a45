"""BKPSDM keeps the dictionary and the standards in /django-admin/, where it already sets the year's rules
(credit rules, targets, classes); the XLSX import and export live on /belajar/rencana/kamus/."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    BehaviourIndicator,
    Competency,
    CompetencyResult,
    CourseCompetency,
    DevelopmentPlan,
    OfferCompetency,
    PerformanceRating,
    PlanItem,
    Position,
    PositionStandard,
)


class IndicatorInline(admin.TabularInline):
    model = BehaviourIndicator
    extra = 1
    fields = ("level", "text", "order")


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "is_active")
    list_filter = ("type", "is_active")
    search_fields = ("code", "name")
    inlines = [IndicatorInline]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "title": _("Kamus kompetensi (impor/ekspor XLSX: /belajar/rencana/kamus/)"),
        }
        return super().changelist_view(request, extra_context)


class StandardInline(admin.TabularInline):
    model = PositionStandard
    extra = 1
    autocomplete_fields = ("competency",)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "standard_count")
    list_filter = ("type",)
    search_fields = ("code", "name")
    inlines = [StandardInline]

    @admin.display(description=_("jumlah standar"))
    def standard_count(self, obj):
        return obj.standards.count()


@admin.register(CourseCompetency)
class CourseCompetencyAdmin(admin.ModelAdmin):
    """Which competencies a catalogue course develops (the course pages are Wagtail's; content imports no
    module, so the tags are kept here)."""

    list_display = ("course", "competency", "level")
    list_filter = ("competency__type", "level")
    search_fields = ("course__title", "competency__code", "competency__name")
    autocomplete_fields = ("competency",)


class OfferCompetencyInline(admin.TabularInline):
    model = OfferCompetency
    extra = 1
    autocomplete_fields = ("competency",)
    verbose_name_plural = _("kompetensi yang dikembangkan kelas ini")


class ResultInline(admin.TabularInline):
    model = CompetencyResult
    extra = 0
    readonly_fields = ("competency", "self_level", "validated_level")
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read here; written by the employee, the supervisor, or the assessment-centre import."""

    list_display = ("user", "year", "position", "status", "source", "validated_at")
    list_filter = ("year", "status", "source")
    search_fields = ("user__full_name", "user__nip")
    readonly_fields = [f.name for f in Assessment._meta.fields]
    inlines = [ResultInline]

    def has_add_permission(self, request):
        return False


class ItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    fields = ("competency", "form", "course", "offer", "external_title", "jp", "priority", "quarter")
    readonly_fields = fields
    can_delete = False


@admin.register(DevelopmentPlan)
class DevelopmentPlanAdmin(admin.ModelAdmin):
    list_display = ("user", "year", "status", "agreed_by", "agreed_at")
    list_filter = ("year", "status")
    search_fields = ("user__full_name", "user__nip")
    readonly_fields = [f.name for f in DevelopmentPlan._meta.fields]
    inlines = [ItemInline]

    def has_add_permission(self, request):
        return False


@admin.register(PerformanceRating)
class PerformanceRatingAdmin(admin.ModelAdmin):
    """Announced by e-Kinerja (kinerja.skp.rated); read only."""

    list_display = ("user", "year", "rating", "targets_met", "gap")
    list_filter = ("year", "rating", "targets_met")
    readonly_fields = ("user", "year", "rating", "targets_met", "received_at")

    @admin.display(description=_("kesenjangan kinerja"), boolean=True)
    def gap(self, obj):
        return obj.has_gap

    def has_add_permission(self, request):
        return False
