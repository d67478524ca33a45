"""Writes to the ledger. Crediting is idempotent on ``source_key``; correcting is reversing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse

from lms.events import EVENT_JP_CREDITED, EVENT_JP_REVOKED
from shell import formatting
from shell.site import site_url

from .evidence import Credit, credit_for_correction, credit_for_import
from .models import LedgerEntry


class LedgerError(ValueError):
    pass


Kind = LedgerEntry.SourceKind


def ledger_credit(*, credit: Credit) -> tuple[LedgerEntry, bool]:
    """The one way JP enter the ledger: once per source key (a repeat, or a concurrent twin, returns the first
    entry). Every caller derives its Credit from evidence (lms.hours.evidence), so ledger_verify can derive
    it again. Tells the other modules once, after commit."""
    if credit.jp < 0:
        raise LedgerError("A credit cannot be negative; reverse the entry instead.")
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                user_id=credit.user_id,
                source_key=credit.source_key,
                jp=credit.jp,
                date=credit.date,
                category=credit.category,
                form=credit.form,
                source_kind=credit.kind,
                title=credit.title[:255],
                statement_id=credit.statement_id,
                evidence=credit.evidence,
                status=credit.status,
                note=credit.note[:500],
            )
    except IntegrityError:
        existing = LedgerEntry.objects.filter(source_key=credit.source_key).first()
        if existing is None:
            raise
        return existing, False
    _publish(EVENT_JP_CREDITED, entry)
    return entry, True


def _publish(event: str, entry: LedgerEntry) -> None:
    from shell import events

    events.publish(
        event,
        {"user_id": entry.user_id, "entry_id": entry.pk, "jp": str(entry.jp), "date": entry.date.isoformat()},
        # By source key: a rebuilt ledger (new row ids) announces nothing twice.
        event_id=f"{event}:{entry.source_key}",
    )


def ledger_reverse(*, entry: LedgerEntry, date: dt.date, note: str, evidence: str) -> LedgerEntry:
    """Cancel an entry's credit with a compensating entry (once). ``evidence`` says why: the voiding
    statement (void:<uuid>) or BKPSDM's revocation (revocation:<id>)."""
    if entry.reverses_id is not None:
        raise LedgerError("A reversal cannot itself be reversed.")
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                user_id=entry.user_id,
                source_key=f"reversal:{entry.source_key}",
                jp=-entry.jp,
                date=date,
                category=entry.category,
                form=entry.form,
                source_kind=Kind.REVERSAL,
                title=entry.title,
                status=entry.status,
                reverses=entry,
                evidence=evidence,
                note=note[:500],
            )
    except IntegrityError:
        return LedgerEntry.objects.get(reverses=entry)
    _publish(EVENT_JP_REVOKED, reversal)
    return reversal


def ledger_correction_create(
    *,
    by,
    user,
    jp: Decimal,
    date: dt.date,
    category: str,
    form: str,
    title: str,
    reason: str,
    confirmation: uuid.UUID | None = None,
) -> LedgerEntry:
    """BKPSDM credits learning the platform missed; the correction (who, why) is the entry's evidence, and the
    employee is told in the inbox. ``confirmation`` (the confirmation page's one-time key) makes a repeated
    confirmation return the entry of the first instead of crediting twice."""
    from django.utils.translation import gettext as _

    from shell.inbox.services import notification_create

    from .models import LedgerCorrection

    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Tuliskan alasan koreksi."))
    if jp is None or jp <= 0:
        raise LedgerError(_("JP koreksi harus lebih dari 0; untuk mengurangi JP, cabut entri yang bersangkutan."))
    if confirmation is not None:
        done = LedgerCorrection.objects.filter(confirmation=confirmation).first()
        if done is not None:
            return _correction_entry(done, by=by, user=user)
    try:
        with transaction.atomic():
            correction = LedgerCorrection.objects.create(
                user=user,
                date=date,
                jp=jp,
                category=category,
                form=form,
                title=title,
                reason=reason,
                created_by=by,
                confirmation=confirmation,
            )
            entry, _created = ledger_credit(credit=credit_for_correction(correction))
            notification_create(
                user=user,
                kind="lms.jp_corrected",
                title=_("JP ditambahkan BKPSDM: %(title)s") % {"title": title},
                body=_(
                    "%(jp)s JP ditambahkan ke riwayat belajar Anda untuk kegiatan tanggal %(date)s. Alasan: %(reason)s"
                )
                % {"jp": formatting.jp(Decimal(jp)), "date": formatting.short_date(date), "reason": reason},
                url=reverse("hours:entry", args=[entry.pk]),
                dedupe_key=f"jp-corrected:{correction.pk}",
            )
    except IntegrityError:
        if confirmation is None:
            raise
        # The same confirmation, sent twice at once: the other request wrote it.
        return _correction_entry(LedgerCorrection.objects.get(confirmation=confirmation), by=by, user=user)
    return entry


def _correction_entry(correction, *, by, user) -> LedgerEntry:
    """The entry of a correction already confirmed with the same key: only the same HR user's, for the same
    employee (a key is no way into someone else's correction)."""
    from django.utils.translation import gettext as _

    if correction.created_by_id != by.pk or correction.user_id != user.pk:
        raise LedgerError(_("Konfirmasi ini sudah dipakai untuk koreksi lain. Isi ulang formulir koreksi."))
    return LedgerEntry.objects.get(source_key=credit_for_correction(correction).source_key)


def ledger_revoke(*, entry: LedgerEntry, by, reason: str) -> LedgerEntry:
    """BKPSDM revokes a credit: a reversal entry (in the credit's own year) whose evidence is the
    revocation; the employee is told why in the inbox. Revoking twice changes nothing."""
    from django.utils.translation import gettext as _

    from shell.inbox.services import notification_create

    from .models import LedgerRevocation

    reason = (reason or "").strip()
    if not reason:
        raise LedgerError(_("Tuliskan alasan pencabutan; pegawai akan membacanya."))
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.reverses_id is not None or entry.jp <= 0:
            raise LedgerError(_("Hanya entri kredit yang dapat dicabut."))
        if LedgerEntry.objects.filter(reverses=entry).exists():
            return LedgerEntry.objects.get(reverses=entry)
        revocation = LedgerRevocation.objects.create(
            source_key=entry.source_key, user_id=entry.user_id, reason=reason, revoked_by=by
        )
        reversal = ledger_reverse(
            entry=entry,
            date=entry.date,
            note=_("Dicabut BKPSDM: %(reason)s") % {"reason": reason},
            evidence=f"revocation:{revocation.pk}",
        )
        notification_create(
            user=entry.user,
            kind="lms.jp_revoked",
            title=_("JP dicabut: %(title)s") % {"title": entry.title},
            body=_("%(jp)s JP dicabut dari riwayat belajar Anda. Alasan: %(reason)s")
            % {"jp": formatting.jp(entry.jp), "reason": reason},
            url="/belajar/riwayat/",
            dedupe_key=f"jp-revoked:{entry.pk}",
        )
    return reversal


def ledger_rebuild_records(*, user=None) -> None:
    """Credit again what BKPSDM recorded by hand (corrections, trusted imports) and apply its revocations:
    the part of a ledger rebuild that statements do not cover (lms.projections.projections_rebuild)."""
    from .models import ImportedCredit, LedgerCorrection, LedgerRevocation

    corrections, imports = LedgerCorrection.objects.all(), ImportedCredit.objects.all()
    revocations = LedgerRevocation.objects.all()
    if user is not None:
        corrections, imports, revocations = (q.filter(user=user) for q in (corrections, imports, revocations))
    for correction in corrections.iterator():
        ledger_credit(credit=credit_for_correction(correction))
    for record in imports.iterator():
        ledger_credit(credit=credit_for_import(record))
    for revocation in revocations.iterator():
        entry = LedgerEntry.objects.filter(source_key=revocation.source_key).first()
        if entry is not None and not LedgerEntry.objects.filter(reverses=entry).exists():
            ledger_reverse(
                entry=entry,
                date=entry.date,
                note=f"Dicabut BKPSDM: {revocation.reason}",
                evidence=f"revocation:{revocation.pk}",
            )


# Reminders -------------------------------------------------------------------------------------

REMINDER_LATE_DAYS = 14  # a point whose day passed longer ago than this (the beat was down) is skipped


def reminder_period(*, today: dt.date, audience: str) -> dt.date | None:
    """The reminder point due today: the latest point of the year on or before today (within
    REMINDER_LATE_DAYS), from the year's own points or else the every-year ones."""
    from .models import ReminderPoint

    points = ReminderPoint.objects.filter(year=today.year, audience=audience)
    if not points.exists():
        points = ReminderPoint.objects.filter(year__isnull=True, audience=audience)
    dates = []
    for month, day in points.values_list("month", "day"):
        try:
            dates.append(dt.date(today.year, month, day))
        except ValueError:  # e.g. 31 April: the month's last day
            dates.append(dt.date(today.year, month % 12 + 1, 1) - dt.timedelta(days=1))
    passed = [d for d in dates if d <= today]
    if not passed:
        return None
    period = max(passed)
    return period if (today - period).days <= REMINDER_LATE_DAYS else None


def _send_once(*, key: str, user, kind: str, title: str, body: str, url: str) -> bool:
    """Inbox (and e-mail when configured) once per key, however often the schedule runs."""
    from django.conf import settings
    from django.core.mail import send_mail

    from shell.inbox.services import notification_create

    from .models import ReminderSent

    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, user=user)
            notification_create(user=user, kind=kind, title=title, body=body, url=url, dedupe_key=key)
            if settings.LEARNING_REMINDER_EMAIL and user.email:
                link = site_url(url)
                transaction.on_commit(
                    lambda: send_mail(title, f"{body}\n\n{link}", None, [user.email], fail_silently=True)
                )
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: dt.date, chunk: int = 1000) -> dict[str, int]:
    """Send the reminders due today: employees below a steady pace (at risk or behind), and each
    supervisor the list of their team members at risk. Returns how many were sent per audience."""
    from django.contrib.auth import get_user_model
    from django.utils.translation import gettext as _

    from .forecast import at_risk_for
    from .models import ReminderPoint

    sent = {"employee": 0, "supervisor": 0}
    year = today.year
    User = get_user_model()
    employees = User.objects.filter(is_active=True, is_superuser=False).order_by("pk")

    period = reminder_period(today=today, audience=ReminderPoint.Audience.EMPLOYEE)
    if period is not None:
        ids = list(employees.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            users = list(User.objects.filter(pk__in=ids[start : start + chunk]))
            for f in at_risk_for(users=users, year=year, today=today):
                body = _(
                    "Anda baru memiliki %(achieved)s dari %(target)s JP tahun %(year)s; perkiraan akhir tahun "
                    "%(projected)s JP."
                ) % {
                    "achieved": formatting.jp(f.achieved),
                    "target": formatting.jp(f.target),
                    "year": year,
                    "projected": formatting.jp(f.projected),
                }
                if f.start_by:
                    body += " " + _("Agar target tercapai dengan laju normal, mulailah paling lambat %(date)s.") % {
                        "date": formatting.short_date(f.start_by)
                    }
                sent["employee"] += _send_once(
                    key=f"jp-reminder:{period.isoformat()}:{f.user.pk}",
                    user=f.user,
                    kind="lms.jp_reminder",
                    title=_("Pengingat JP: Anda di bawah laju target tahun ini"),
                    body=body,
                    url="/belajar/jp/",
                )

    period = reminder_period(today=today, audience=ReminderPoint.Audience.SUPERVISOR)
    if period is not None:
        supervisor_ids = employees.filter(team__isnull=False).values_list("pk", flat=True).distinct()
        for supervisor in User.objects.filter(pk__in=supervisor_ids, is_active=True):
            team = list(employees.filter(supervisor=supervisor))
            risky = at_risk_for(users=team, year=year, today=today)
            if not risky:
                continue
            names = ", ".join(
                f"{f.user.display_name} ({formatting.jp(f.achieved)}/{formatting.jp(f.target)} JP)" for f in risky[:10]
            ) + ("…" if len(risky) > 10 else "")
            sent["supervisor"] += _send_once(
                key=f"jp-team-reminder:{period.isoformat()}:{supervisor.pk}",
                user=supervisor,
                kind="lms.team_at_risk",
                title=_("%(n)s anggota tim berisiko tidak mencapai target JP %(year)s")
                % {"n": len(risky), "year": year},
                body=names,
                url="/belajar/jp/risiko/",
            )
    return sent
