from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from shell.people.selectors import employees_visible_to

from ..planning.admin import OfferCompetencyInline
from . import services
from .models import Attendance, ClassSession, Registration, Room, SessionDay


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "building", "capacity", "checkin_radius_m", "is_active")
    list_filter = ("building", "is_active")
    fieldsets = (
        (None, {"fields": ("name", "building", "capacity", "is_active")}),
        (
            _("Lokasi untuk presensi berbasis lokasi"),
            {
                "fields": ("latitude", "longitude", "checkin_radius_m", "checkin_max_accuracy_m"),
                "description": _(
                    "Dipakai hanya oleh kelas dengan cara presensi “lokasi”, cara yang paling lemah: "
                    "lokasi yang dilaporkan peramban bisa dipalsukan oleh pengguna yang berniat."
                ),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # A bigger room may free seats of its sessions (never more than their quotas).
            for session in obj.sessions.filter(status=ClassSession.Status.SCHEDULED):
                services.session_capacity_changed(session=session)


class SessionDayInline(admin.TabularInline):
    model = SessionDay
    extra = 1


class ClassSessionForm(forms.ModelForm):
    class Meta:
        model = ClassSession
        fields = ("course", "title", "room", "trainers", "capacity", "jp", "status", "checkin_mode")

    def clean(self):
        cleaned = super().clean()
        room, capacity = cleaned.get("room"), cleaned.get("capacity")
        # Registration never seats more than the room holds anyway (services.registration_create);
        # saying so here keeps the quota the organiser sees honest.
        if room is not None and capacity is not None and capacity > room.capacity:
            self.add_error(
                "capacity",
                _("Kuota melebihi kapasitas ruang (%(n)s kursi). Pilih ruang yang lebih besar atau kurangi kuota.")
                % {"n": room.capacity},
            )
        return cleaned


@admin.register(ClassSession)
class ClassSessionAdmin(admin.ModelAdmin):
    """BKPSDM schedules sessions here, choosing how check-in is bound to the room; trainers run them
    from /belajar/kelas/."""

    form = ClassSessionForm
    list_display = ("__str__", "room", "capacity", "checkin_mode", "status")
    list_filter = ("status", "checkin_mode", "room")
    search_fields = ("title", "course__title")
    autocomplete_fields = ("trainers",)
    raw_id_fields = ("course",)
    readonly_fields = ("closed_at",)
    exclude = ("checkin_secret",)
    # The competencies (and levels) the offer develops: the plans suggest it for matching gaps (lms.planning).
    inlines = [SessionDayInline, OfferCompetencyInline]
    actions = ["cancel_sessions"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"status", "course"} & set(form.changed_data):
            # Closed, cancelled or reopened here, or moved to another course: the bookings follow.
            services.registration_booking_sync(session=obj)
        if change and {"capacity", "room"} & set(form.changed_data):
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

    def has_add_permission(self, request):
        return False  # through the services (seats, waiting list, notifications)

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
