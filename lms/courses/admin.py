from django.contrib import admin

from .models import Announcement, EnrollmentBatch, TrainingCoordinator
from .services import coordinator_grant


@admin.register(TrainingCoordinator)
class TrainingCoordinatorAdmin(admin.ModelAdmin):
    list_display = ("user", "unit")
    search_fields = ("user__full_name", "user__nip", "unit__name", "unit__code")
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        coordinator_grant(user=obj.user, unit=obj.unit)  # the role too, so the row gives something


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "author", "created_at", "recipients", "delivered_at")
    search_fields = ("title", "course__title")
    readonly_fields = ("course", "author", "title", "body", "created_at", "delivered_at", "recipients")

    def has_add_permission(self, request):
        return False  # written by the course's trainers on the course pages, delivered by a task


@admin.register(EnrollmentBatch)
class EnrollmentBatchAdmin(admin.ModelAdmin):
    list_display = ("course", "description", "created_by", "created_at", "enrolled", "done_at")
    readonly_fields = (
        "course",
        "description",
        "created_by",
        "due_date",
        "created_at",
        "progressed_at",
        "done_at",
        "enrolled",
    )
    exclude = ("user_ids",)

    def has_add_permission(self, request):
        return False
