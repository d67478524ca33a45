"""Classroom pages: the schedule, registration, the learner's check-in and personal QR (phone), the
trainer's code, pending check-ins, QR scanning and roster. Thin: selectors read, services write, errors
become messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.certificates.pdf import qr_svg
from lms.hours.selectors import jakarta_date
from shell.site import site_url

from . import selectors, services
from .models import Attendance, ClassSession, Registration


def _session_or_404(pk: int):
    session = selectors.session_get(pk=pk)
    if session is None:
        raise Http404(_("Kelas ini tidak ditemukan."))
    return session


def _trainer_session_or_403(request, pk: int):
    session = _session_or_404(pk)
    if not selectors.session_is_trainer(session=session, user=request.user):
        raise PermissionDenied(_("Halaman ini hanya untuk pelatih kelas ini."))
    return session


@login_required
def session_list(request):
    today = jakarta_date(timezone.now())
    return render(
        request,
        "classroom/session_list.html",
        {
            "sessions": selectors.session_list_upcoming(today=today),
            "mine": selectors.registrations_of_user(user=request.user),
            "trained": selectors.sessions_trained_by(user=request.user)[:20],
        },
    )


# While a learner waits for the trainer (a pending check-in, a personal QR on screen), their page asks the
# server this often whether the attendance is recorded, and says so when it is.
CHECKIN_POLL_SECONDS = 5


def _clock(moment) -> str:
    return time_format(timezone.localtime(moment), "H:i")


def _checkin_message(checkin: selectors.CheckinStatus) -> str:
    """What the learner's phone says of today's check-in (the page and its JSON answer say the same)."""
    if checkin.status == "present":
        attendance, request = checkin.attendance, checkin.request
        if attendance.method == Attendance.Method.CONFIRMED and request is not None and request.decided_by:
            return _("✓ Presensi Anda hari ini dikonfirmasi oleh %(name)s pukul %(time)s.") % {
                "name": request.decided_by.display_name,
                "time": _clock(request.decided_at),
            }
        if attendance.marked_by is not None:
            return _("✓ Kehadiran Anda hari ini dicatat oleh %(name)s pukul %(time)s.") % {
                "name": attendance.marked_by.display_name,
                "time": _clock(attendance.checked_in_at),
            }
        return _("✓ Presensi Anda hari ini tercatat pukul %(time)s.") % {"time": _clock(attendance.checked_in_at)}
    if checkin.status == "pending":
        return _(
            "Presensi Anda hari ini menunggu konfirmasi pelatih. Halaman ini akan menampilkan konfirmasinya begitu "
            "pelatih mengonfirmasi."
        )
    if checkin.status == "rejected":
        return _("Pelatih tidak mengonfirmasi presensi Anda hari ini. Bila Anda ada di kelas, temui pelatih.")
    return ""


def _checkin_today(session, registration) -> selectors.CheckinStatus:
    today = services.session_day_on(session=session, date=jakarta_date(timezone.now()))
    return selectors.checkin_status_for(registration=registration, day=today)


@login_required
def session_detail(request, pk: int):
    session = _session_or_404(pk)
    registration = selectors.registration_for(session=session, user=request.user)
    outcome = selectors.outcome_for(session=session, user=request.user) if registration else {}
    checkin = _checkin_today(session, registration) if registration else None
    return render(
        request,
        "classroom/session_detail.html",
        {
            **outcome,
            "session": session,
            "days": list(session.days.all()),
            "registration": registration,
            "position": selectors.waitlist_position(registration=registration) if registration else None,
            "is_trainer": selectors.session_is_trainer(session=session, user=request.user),
            "checkin": checkin,
            "checkin_message": _checkin_message(checkin) if checkin else "",
            "poll_seconds": CHECKIN_POLL_SECONDS,
        },
    )


@login_required
@require_GET
@never_cache
def checkin_status(request, pk: int):
    """The learner's own check-in today, as JSON, for their page to ask while they wait for the trainer."""
    session = _session_or_404(pk)
    registration = selectors.registration_for(session=session, user=request.user)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return JsonResponse({"error": _("Anda tidak terdaftar di kelas ini.")}, status=404)
    checkin = _checkin_today(session, registration)
    return JsonResponse({"status": checkin.status, "message": _checkin_message(checkin)})


@login_required
@require_POST
def register(request, pk: int):
    try:
        registration = services.check_registration_create(user=request.user, session_id=pk)
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("Anda terdaftar di kelas ini."))
        else:
            messages.warning(request, _("Kelas penuh: Anda masuk daftar tunggu dan akan diberi tahu jika ada kursi."))
    return redirect("classroom:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk: int):
    """Cancelling asks first (GET: what the person gives up, POST: do it): one tap must not lose a seat."""
    session = _session_or_404(pk)
    registration = selectors.registration_for(session=session, user=request.user)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise Http404(_("Anda tidak terdaftar di kelas ini."))
    if request.method == "GET":
        return render(
            request,
            "classroom/cancel_confirm.html",
            {
                "session": session,
                "days": list(session.days.all()),
                "registration": registration,
                "position": selectors.waitlist_position(registration=registration),
            },
        )
    try:
        services.registration_cancel(registration=registration)
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pendaftaran Anda dibatalkan."))
    return redirect("classroom:detail", pk=pk)


@login_required
@never_cache
def checkin(request, pk: int):
    """The page a learner's phone opens from the room's QR code (the code comes in ?kode=); in a
    ``location`` session its script adds the phone's position to the form."""
    session = _session_or_404(pk)
    if session.checkin_mode == ClassSession.CheckinMode.PERSONAL_QR and request.method != "POST":
        return redirect("classroom:my_qr", pk=pk)
    code = (request.POST.get("kode") if request.method == "POST" else request.GET.get("kode")) or ""
    status = 200
    if request.method == "POST":
        try:
            location = services.location_from_input(
                latitude=request.POST.get("lintang", ""),
                longitude=request.POST.get("bujur", ""),
                accuracy=request.POST.get("akurasi", ""),
            )
            result = services.check_checkin(user=request.user, session_id=pk, code=code, location=location)
        except services.ClassroomError as error:
            messages.error(request, str(error))
            status = 400
        else:
            if isinstance(result, Attendance):
                messages.success(request, _("Presensi tercatat. Selamat mengikuti kelas!"))
            else:
                messages.info(request, _("Presensi Anda terkirim dan menunggu konfirmasi pelatih di kelas."))
            return redirect("classroom:detail", pk=pk)
    return render(
        request,
        "classroom/checkin.html",
        {"session": session, "code": code, "needs_location": session.checkin_mode == ClassSession.CheckinMode.LOCATION},
        status=status,
    )


@login_required
@never_cache
def my_qr(request, pk: int):
    """The learner's own one-time QR for today (``personal_qr`` sessions), renewed as it expires."""
    session = _session_or_404(pk)
    registration = selectors.registration_for(session=session, user=request.user)
    if registration is None or registration.status == Registration.Status.CANCELLED:
        raise Http404(_("Anda tidak terdaftar di kelas ini."))
    now = timezone.now()
    checkin = _checkin_today(session, registration)
    context = {"session": session, "checkin": checkin, "poll_seconds": CHECKIN_POLL_SECONDS}
    if checkin.status == "present":
        # Scanned: the QR has done its job; the page says so instead of showing another.
        context["checkin_message"] = _checkin_message(checkin)
        return render(request, "classroom/my_qr.html", context)
    try:
        shown = services.personal_qr_current(registration=registration, now=now)
    except services.ClassroomError as error:
        context["error"] = str(error)
    else:
        url = site_url(reverse("classroom:trainer_scan", args=[session.pk]) + f"?t={shown.token}")
        context.update(
            shown=shown,
            qr=qr_svg(url=url),
            seconds_left=max(1, int((shown.expires_at - now).total_seconds()) + 1),
        )
    return render(request, "classroom/my_qr.html", context)


@login_required
@never_cache
def trainer_page(request, pk: int):
    session = _trainer_session_or_403(request, pk)
    today = jakarta_date(timezone.now())
    today_day = services.session_day_on(session=session, date=today)
    return render(
        request,
        "classroom/trainer.html",
        {
            "session": session,
            "days": [d for d in session.days.all()],
            "today": today,
            "pending_count": selectors.checkin_requests_pending(session=session, day=today_day).count()
            if today_day
            else 0,
            "roster": selectors.roster(session=session),
            "waitlist": session.registrations.filter(status=Registration.Status.WAITLISTED)
            .select_related("user")
            .order_by("queued_at", "pk"),
        },
    )


@login_required
@never_cache
def trainer_code(request, pk: int):
    """The rotating code, large, with its QR (the page reloads itself when the code changes)."""
    session = _trainer_session_or_403(request, pk)
    now = timezone.now()
    shown = services.checkin_code_current(session=session, now=now)
    context = {"session": session, "shown": shown}
    if shown is not None:
        url = site_url(reverse("classroom:checkin", args=[session.pk]) + f"?kode={shown.code}")
        context.update(
            url=url,
            qr=qr_svg(url=url),
            seconds_left=max(1, int((shown.expires_at - now).total_seconds()) + 1),
        )
    if request.GET.get("format") == "json":
        if session.checkin_mode == ClassSession.CheckinMode.PERSONAL_QR:
            return JsonResponse({"error": _("Kelas ini memakai QR pribadi peserta; tidak ada kode ruang.")}, status=404)
        if shown is None:
            return JsonResponse({"error": _("Hari ini tidak ada jadwal kelas ini.")}, status=404)
        return JsonResponse({"code": shown.code, "expires_at": shown.expires_at.isoformat(), "url": context["url"]})
    return render(request, "classroom/trainer_code.html", context)


@login_required
@require_POST
def trainer_mark(request, pk: int):
    session = _trainer_session_or_403(request, pk)
    try:
        services.attendance_mark(
            trainer=request.user,
            session=session,
            registration_id=int(request.POST.get("registration", "0") or 0),
            day_id=int(request.POST.get("day", "0") or 0),
            present=request.POST.get("present") == "1",
        )
    except ValueError:
        messages.error(request, _("Data presensi tidak lengkap. Muat ulang halaman dan coba lagi."))
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Presensi diperbarui."))
    return redirect("classroom:trainer", pk=pk)


@login_required
@require_POST
def trainer_close(request, pk: int):
    session = _trainer_session_or_403(request, pk)
    try:
        result = services.session_close(session=session, by=request.user)
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Kelas ditutup: %(n)s peserta mendapat JP, %(m)s belum memenuhi ambang kehadiran.")
            % {"n": len(result.credited), "m": len(result.not_credited)},
        )
    return redirect("classroom:trainer", pk=pk)


@login_required
@never_cache
def trainer_pending(request, pk: int):
    """Check-ins of the day waiting for the trainer (``trainer_confirms`` sessions), on the phone."""
    session = _trainer_session_or_403(request, pk)
    day = services.session_day_on(session=session, date=jakarta_date(timezone.now()))
    pending = list(selectors.checkin_requests_pending(session=session, day=day)) if day else []
    return render(request, "classroom/trainer_pending.html", {"session": session, "day": day, "pending": pending})


@login_required
@require_POST
def trainer_decide(request, pk: int):
    """Confirm or reject one pending check-in (``permintaan``) or all of the day's (``semua``)."""
    session = _trainer_session_or_403(request, pk)
    confirm = request.POST.get("keputusan") == "konfirmasi"
    try:
        if request.POST.get("keputusan") not in ("konfirmasi", "tolak"):
            raise ValueError
        request_ids = None if request.POST.get("semua") == "1" else [int(request.POST.get("permintaan", ""))]
        decided = services.checkin_requests_decide(
            trainer=request.user,
            session=session,
            day_id=int(request.POST.get("hari", "")),
            confirm=confirm,
            request_ids=request_ids,
        )
    except ValueError:
        messages.error(request, _("Data konfirmasi tidak lengkap. Muat ulang halaman dan coba lagi."))
    except services.ClassroomError as error:
        messages.error(request, str(error))
    else:
        if not decided:
            messages.warning(request, _("Tidak ada presensi yang menunggu; mungkin sudah diputuskan."))
        elif confirm:
            messages.success(request, _("%(n)s presensi dikonfirmasi.") % {"n": len(decided)})
        else:
            messages.success(request, _("%(n)s presensi ditolak.") % {"n": len(decided)})
    return redirect("classroom:trainer_pending", pk=pk)


@login_required
@never_cache
def trainer_scan(request, pk: int):
    """The trainer's side of personal QRs: the QR's link opens here (?t=), or the trainer types the
    short code (?kode=); the learner's name is shown before recording (a POST)."""
    session = _trainer_session_or_403(request, pk)
    context, status = {"session": session}, 200
    if request.method == "POST":
        try:
            attendance = services.check_personal_qr_scan(
                trainer=request.user, session=session, token=request.POST.get("t", "")
            )
        except services.ClassroomError as error:
            context["error"], status = str(error), 400
        else:
            messages.success(request, _("Kehadiran %(name)s tercatat.") % {"name": attendance.registration.user})
            return redirect("classroom:trainer_scan", pk=pk)
    elif request.GET.get("t") or request.GET.get("kode"):
        try:
            context["scan"] = services.personal_qr_resolve(
                trainer=request.user,
                session=session,
                token=request.GET.get("t", ""),
                code=request.GET.get("kode", ""),
            )
        except services.ClassroomError as error:
            context["error"], status = str(error), 400
    return render(request, "classroom/trainer_scan.html", context, status=status)
