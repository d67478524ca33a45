from django.contrib import admin

from shell.people.selectors import employees_visible_to

from . import services
from .models import Attendance, ClassSession, Registration, Room, SessionDay


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "building", "capacity", "is_active")
    list_filter = ("building", "is_active")


class SessionDayInline(admin.TabularInline):
    model = SessionDay
    extra = 1


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    """BKPSDM schedules sessions here; trainers run them from /belajar/kelas/."""

    list_display = ("__str__", "room", "capacity", "status")
    list_filter = ("status", "room")
    search_fields = ("title", "course__title")
    autocomplete_fields = ("trainers",)
    raw_id_fields = ("course",)
    readonly_fields = ("closed_at",)
    exclude = ("checkin_secret",)
    inlines = [SessionDayInline]
    actions = ["cancel_sessions"]

    def save_model(self, request, obj, form, change):
        # The quota cannot exceed the room (a clear message rather than an overfull room).
        if obj.room_id and obj.capacity > obj.room.capacity:
            obj.capacity = obj.room.capacity
            self.message_user(request, "Kuota dipotong ke kapasitas ruang.", level="warning")
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promoted = services.session_capacity_changed(session=obj)
            if promoted:
                self.message_user(request, f"{len(promoted)} peserta naik dari daftar tunggu.")

    @admin.action(description="Batalkan kelas terpilih dan beri tahu peserta")
    def cancel_sessions(self, request, queryset):
        told = 0
        for session in queryset.filter(status=ClassSession.Status.SCHEDULED):
            told += services.session_cancel(session=session, reason="Dibatalkan oleh BKPSDM.")
        self.message_user(request, f"Kelas dibatalkan; {told} peserta diberi tahu.")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("user", "session", "status", "queued_at")
    list_filter = ("status",)
    search_fields = ("user__full_name", "user__nip")
    raw_id_fields = ("user", "session")

    def get_queryset(self, request):
        # HR read registrations here within their scope, as on the pages.
        return super().get_queryset(request).filter(user__in=employees_visible_to(user=request.user))

    def has_change_permission(self, request, obj=None):
        return False  # through the services (waiting list, notifications)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("registration", "day", "method", "checked_in_at")
    list_filter = ("method",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(registration__user__in=employees_visible_to(user=request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
