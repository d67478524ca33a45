"""Writes to the ledger. Crediting is idempotent on ``source_key``; correcting is reversing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from .models import LedgerEntry


class LedgerError(ValueError):
    pass


def ledger_credit(
    *,
    user,
    source_key: str,
    jp: Decimal,
    date: dt.date,
    category: str,
    form: str,
    source_kind: str,
    title: str,
    statement_id=None,
    status: str = LedgerEntry.Status.VERIFIED,
    note: str = "",
) -> tuple[LedgerEntry, bool]:
    """Credit ``jp`` once for ``source_key``: a repeat (or a concurrent twin) returns the first entry."""
    if jp < 0:
        raise LedgerError("A credit cannot be negative; reverse the entry instead.")
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                user=user,
                source_key=source_key,
                jp=jp,
                date=date,
                category=category,
                form=form,
                source_kind=source_kind,
                title=title[:255],
                statement_id=statement_id,
                status=status,
                note=note[:500],
            )
            return entry, True
    except IntegrityError:
        existing = LedgerEntry.objects.filter(source_key=source_key).first()
        if existing is None:
            raise
        return existing, False


def ledger_reverse(*, entry: LedgerEntry, date: dt.date, note: str) -> LedgerEntry:
    """Cancel an entry's credit with a compensating entry (once)."""
    if entry.reverses_id is not None:
        raise LedgerError("A reversal cannot itself be reversed.")
    reversal, _ = ledger_credit_reversal(entry=entry, date=date, note=note)
    return reversal


def ledger_credit_reversal(*, entry: LedgerEntry, date: dt.date, note: str) -> tuple[LedgerEntry, bool]:
    try:
        with transaction.atomic():
            return (
                LedgerEntry.objects.create(
                    user=entry.user,
                    source_key=f"reversal:{entry.source_key}",
                    jp=-entry.jp,
                    date=date,
                    category=entry.category,
                    form=entry.form,
                    source_kind=LedgerEntry.SourceKind.REVERSAL,
                    title=entry.title,
                    status=entry.status,
                    reverses=entry,
                    note=note[:500],
                ),
                True,
            )
    except IntegrityError:
        return LedgerEntry.objects.get(reverses=entry), False


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
                link = settings.SITE_URL + url
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

    def fmt(value) -> str:
        return f"{Decimal(value).normalize():f}".replace(".", ",")

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
                ) % {"achieved": fmt(f.achieved), "target": fmt(f.target), "year": year, "projected": fmt(f.projected)}
                if f.start_by:
                    body += " " + _("Agar target tercapai dengan laju normal, mulailah paling lambat %(date)s.") % {
                        "date": f.start_by.strftime("%d-%m-%Y")
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
            names = ", ".join(f"{f.user.display_name} ({fmt(f.achieved)}/{fmt(f.target)} JP)" for f in risky[:10]) + (
                "…" if len(risky) > 10 else ""
            )
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
