from django.contrib import admin

from .models import Enrollment, LessonProgress


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "source", "due_date", "enrolled_at", "completed_at")
    list_filter = ("source",)
    search_fields = ("user__full_name", "user__nip", "course__title")
    raw_id_fields = ("user", "assigned_by")
    readonly_fields = ("registration", "completed_at")


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "lesson", "completed_at", "attempts", "best_score", "passed")
    raw_id_fields = ("enrollment",)

    def has_change_permission(self, request, obj=None):
        return False  # a projection: rebuild it from statements instead
