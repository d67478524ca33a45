"""Writes of e-Kinerja. Activities from other modules' events are created once per source
(``source_key`` is unique): a redelivered event changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shell.events import publish
from shell.inbox.services import notification_create

from .events import EVENT_SKP_RATED, RATINGS
from .models import Activity, Evidence, Skp, SkpIndicator, SkpResult

NOTIFY_RETURNED = "kinerja.activity_returned"
NOTIFY_SKP = "kinerja.skp_reviewed"


def activity_create(
    *,
    user,
    date: dt.date,
    title: str,
    description: str = "",
    quantity: Decimal = Decimal("1"),
    output_unit: str = "kegiatan",
    result: SkpResult | None = None,
    evidence_url: str = "",
    evidence_file=None,
) -> Activity:
    """An employee logs a day's work. Future dates are refused; the plan result must be their own."""
    if date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal aktivitas tidak boleh di masa depan.")})
    if result is not None and result.skp.user_id != user.pk:
        raise ValidationError({"result": _("Rencana hasil kerja itu bukan milik Anda.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("Volume harus lebih dari nol.")})
    with transaction.atomic():
        activity = Activity.objects.create(
            user=user,
            date=date,
            title=title.strip(),
            description=description,
            quantity=quantity,
            output_unit=output_unit or "kegiatan",
            result=result,
        )
        if evidence_file:
            Evidence.objects.create(
                activity=activity, kind=Evidence.Kind.FILE, label=evidence_file.name[:300], file=evidence_file
            )
        if evidence_url:
            Evidence.objects.create(
                activity=activity, kind=Evidence.Kind.LINK, label=evidence_url[:300], url=evidence_url
            )
    return activity


def activity_from_event(
    *,
    user_id: int,
    source_key: str,
    kind: str,
    title: str,
    date: dt.date,
    description: str = "",
    jp: Decimal | None = None,
    evidence: list[dict] | None = None,
    quantity: Decimal | None = None,
    output_unit: str = "",
) -> tuple[Activity | None, bool]:
    """The activity for work done in another module, created at most once per ``source_key``; evidence
    (certificate, link) is added once per item. Returns (activity, created)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None, False
    created = False
    activity = Activity.objects.filter(source_key=source_key).first()
    if activity is None:
        try:
            with transaction.atomic():
                activity = Activity.objects.create(
                    user=user,
                    date=date,
                    title=title[:300],
                    description=description,
                    kind=kind,
                    jp=jp,
                    output_unit="JP" if jp is not None else (output_unit or "kegiatan"),
                    quantity=jp if jp else (quantity or Decimal("1")),
                    source_key=source_key,
                )
                created = True
        except IntegrityError:  # a concurrent delivery of the same event won
            activity = Activity.objects.get(source_key=source_key)
    elif jp is not None and activity.jp is None:
        Activity.objects.filter(pk=activity.pk, jp__isnull=True).update(jp=jp, output_unit="JP", quantity=jp)
    for item in evidence or []:
        evidence_add_once(activity=activity, **item)
    return activity, created


def evidence_add_once(*, activity: Activity, kind: str, label: str, url: str) -> Evidence:
    key = f"{activity.pk}:{kind}:{url}"[:300]
    try:
        with transaction.atomic():
            return Evidence.objects.create(
                activity=activity, kind=kind, label=label[:300], url=url[:500], dedupe_key=key
            )
    except IntegrityError:
        return Evidence.objects.get(dedupe_key=key)


def _check_reviewer(*, reviewer, employee) -> None:
    if employee.supervisor_id != reviewer.pk:
        raise PermissionDenied(_("Hanya atasan langsung yang dapat memeriksa aktivitas ini."))


@transaction.atomic
def activity_review(*, activity_id: int, reviewer, approve: bool, note: str = "") -> Activity:
    """The direct supervisor approves an activity or returns it with a note."""
    activity = Activity.objects.select_for_update().select_related("user").get(pk=activity_id)
    _check_reviewer(reviewer=reviewer, employee=activity.user)
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(
            _("Aktivitas ini sudah diperiksa (%(status)s).") % {"status": activity.get_status_display()}
        )
    return _review(activity=activity, reviewer=reviewer, approve=approve, note=_review_note(approve=approve, note=note))


def _review_note(*, approve: bool, note: str) -> str:
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Tuliskan alasan pengembalian agar pegawai bisa memperbaikinya.")})
    return note


def _review(*, activity: Activity, reviewer, approve: bool, note: str) -> Activity:
    """Record the decision on a locked, submitted activity the reviewer may decide."""
    activity.status = Activity.Status.APPROVED if approve else Activity.Status.RETURNED
    activity.reviewer, activity.reviewed_at, activity.review_note = reviewer, timezone.now(), note
    activity.save(update_fields=["status", "reviewer", "reviewed_at", "review_note", "updated_at"])
    if approve:
        from .push import activity_push_enqueue

        activity_push_enqueue(activity=activity)
    else:
        notification_create(
            user=activity.user,
            kind=NOTIFY_RETURNED,
            title=_("Aktivitas dikembalikan: %(title)s") % {"title": activity.title[:150]},
            body=note,
            url=f"/kinerja/aktivitas/{activity.pk}/",
            dedupe_key=f"kinerja-returned:{activity.pk}:{activity.reviewed_at.isoformat()}",
        )
    return activity


# A supervisor's screen of pending activities; a larger batch is refused rather than half done.
BULK_REVIEW_MAX = 200


@dataclass(frozen=True)
class BulkReview:
    reviewed: list[Activity]
    # Decided already when the batch arrived (another tab, the API): left as they were.
    already: list[Activity]


@transaction.atomic
def activities_review_bulk(*, activity_ids: Iterable[int], reviewer, approve: bool, note: str = "") -> BulkReview:
    """The direct supervisor approves, or returns with one note, several activities at once.

    All or nothing for who may decide: when any chosen activity is not of the reviewer's direct team
    (or does not exist), nothing is decided and ``PermissionDenied`` says how many; whose they are is
    not told. Activities decided already are left as they were and reported."""
    ids = sorted({int(pk) for pk in activity_ids})
    if not ids:
        raise ValidationError(_("Pilih setidaknya satu aktivitas."))
    if len(ids) > BULK_REVIEW_MAX:
        raise ValidationError(
            _("Paling banyak %(n)d aktivitas sekali periksa; pilih lebih sedikit.") % {"n": BULK_REVIEW_MAX}
        )
    note = _review_note(approve=approve, note=note)
    activities = list(
        Activity.objects.select_for_update(of=("self",)).select_related("user").filter(pk__in=ids).order_by("pk")
    )
    foreign = len(ids) - sum(1 for a in activities if a.user.supervisor_id == reviewer.pk)
    if foreign:
        raise PermissionDenied(
            ngettext(
                "%(n)d aktivitas yang dipilih bukan aktivitas tim langsung Anda; tidak ada yang diperiksa.",
                "%(n)d aktivitas yang dipilih bukan aktivitas tim langsung Anda; tidak ada yang diperiksa.",
                foreign,
            )
            % {"n": foreign}
        )
    reviewed, already = [], []
    for activity in activities:
        if activity.status != Activity.Status.SUBMITTED:
            already.append(activity)
            continue
        reviewed.append(_review(activity=activity, reviewer=reviewer, approve=approve, note=note))
    return BulkReview(reviewed=reviewed, already=already)


@transaction.atomic
def activity_resubmit(*, activity_id: int, user, title: str, description: str, quantity: Decimal) -> Activity:
    activity = Activity.objects.select_for_update().get(pk=activity_id, user=user)
    if activity.status != Activity.Status.RETURNED:
        raise ValidationError(_("Hanya aktivitas yang dikembalikan yang dapat diperbaiki."))
    if quantity <= 0:
        raise ValidationError({"quantity": _("Volume harus lebih dari nol.")})
    activity.title, activity.description, activity.quantity = title.strip(), description, quantity
    activity.status, activity.reviewer, activity.reviewed_at = Activity.Status.SUBMITTED, None, None
    activity.save()
    return activity


def skp_get_or_create(*, user, year: int) -> Skp:
    skp, _created = Skp.objects.get_or_create(user=user, year=year)
    return skp


@transaction.atomic
def skp_result_add(
    *, user, year: int, text: str, parent: SkpResult | None, indicator: str, target: Decimal, unit: str, aspect: str
) -> SkpResult:
    skp = Skp.objects.select_for_update().get(pk=skp_get_or_create(user=user, year=year).pk)
    if skp.status == Skp.Status.APPROVED:
        raise ValidationError(_("SKP %(year)s sudah disetujui; perubahan melalui atasan.") % {"year": year})
    if parent is not None and (parent.skp.user_id != user.supervisor_id or parent.skp.year != year):
        raise ValidationError(
            {"parent": _("Hasil kerja yang diintervensi harus milik atasan langsung Anda tahun ini.")}
        )
    if target <= 0:
        raise ValidationError({"target": _("Target harus lebih dari nol.")})
    result = SkpResult.objects.create(skp=skp, text=text.strip(), parent=parent, order=skp.results.count())
    SkpIndicator.objects.create(result=result, text=indicator.strip(), target=target, unit=unit.strip(), aspect=aspect)
    if skp.status == Skp.Status.SUBMITTED:
        skp.status = Skp.Status.DRAFT  # changed after submission: submit again
        skp.save(update_fields=["status"])
    return result


@transaction.atomic
def skp_submit(*, user, year: int) -> Skp:
    skp = Skp.objects.select_for_update().get(pk=skp_get_or_create(user=user, year=year).pk)
    if not skp.results.exists():
        raise ValidationError(_("Tambahkan minimal satu rencana hasil kerja sebelum mengajukan SKP."))
    if skp.status == Skp.Status.APPROVED:
        raise ValidationError(_("SKP ini sudah disetujui."))
    skp.status = Skp.Status.SUBMITTED
    skp.save(update_fields=["status"])
    return skp


@transaction.atomic
def skp_approve(*, skp_id: int, reviewer) -> Skp:
    skp = Skp.objects.select_for_update().select_related("user").get(pk=skp_id)
    _check_reviewer(reviewer=reviewer, employee=skp.user)
    if skp.status != Skp.Status.SUBMITTED:
        raise ValidationError(_("Hanya SKP yang diajukan yang dapat disetujui."))
    skp.status, skp.approved_by, skp.approved_at = Skp.Status.APPROVED, reviewer, timezone.now()
    skp.save(update_fields=["status", "approved_by", "approved_at"])
    notification_create(
        user=skp.user,
        kind=NOTIFY_SKP,
        title=_("SKP %(year)s Anda disetujui") % {"year": skp.year},
        url="/kinerja/skp/",
        dedupe_key=f"kinerja-skp-approved:{skp.pk}",
    )
    return skp


@transaction.atomic
def skp_rate(*, skp_id: int, reviewer, rating: str, targets_met: bool) -> Skp:
    """The direct supervisor's yearly verdict on an approved SKP, announced to the other modules (competency
    planning takes a rating below "baik", or targets not met, as a performance gap)."""
    skp = Skp.objects.select_for_update().select_related("user").get(pk=skp_id)
    _check_reviewer(reviewer=reviewer, employee=skp.user)
    if skp.status != Skp.Status.APPROVED:
        raise ValidationError(_("Hanya SKP yang sudah disetujui yang dapat dinilai."))
    if rating not in RATINGS:
        raise ValidationError(_("Predikat kinerja tidak dikenal."))
    publish(
        EVENT_SKP_RATED,
        {"user_id": skp.user_id, "year": skp.year, "rating": rating, "targets_met": bool(targets_met)},
    )
    return skp
