"""What looks wrong in the ledger, for BKPSDM (docs/domain/jp-ledger.md, "Anomalies").

One detector per kind of anomaly, each a pure read over the employees it is given (HR's scope, narrowed
by the page's filters) and a year, registered in ``DETECTORS`` by the ``detector`` decorator: a new kind is
one more function here. Every row names the employee, what looks wrong, when, the JP involved and the
ledger entries behind it (each links to its evidence page, where HR may revoke it). Set-based reads only:
a handful of queries per detector, whatever the number of employees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Trim, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lms.claims.models import Claim
from lms.h5p.models import H5PResult
from lms.xapi.models import Statement
from shell import formatting
from shell.people.models import Unit, User
from shell.people.selectors import unit_subtree_q

from .evidence import ledger_source_key
from .models import LedgerEntry, LedgerRevocation
from .selectors import JAKARTA, hr_reviewable_employees

_CHUNK = 5000
_JAKARTA_OFFSET = 7 * 3600  # WIB has no daylight saving time
_DETAILS_SHOWN = 10
# What a row shows of an entry (and what the checks read): loading whole rows of thousands of entries
# costs more than the detection.
_ENTRY_FIELDS = ("id", "user_id", "date", "jp", "title", "evidence", "statement_id", "source_key", "reverses_id")


@dataclass
class Anomaly:
    """One row of HR's list. ``entries`` and ``claims`` are those of every employee involved until
    ``anomaly_list`` keeps the ones the viewer may see (``hidden`` counts the others)."""

    kind: str
    employee: User
    what: str
    when: dt.date
    jp: Decimal
    entries: list[LedgerEntry] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    hidden: int = 0
    # HR revoked enough of its credits that what made the anomaly no longer stands (its row stays, marked).
    resolved: bool = False

    @property
    def unit(self) -> Unit | None:
        return self.employee.unit

    @property
    def label(self) -> str:
        return str(DETECTORS_BY_KIND[self.kind].label)


@dataclass(frozen=True)
class Detector:
    kind: str
    label: object  # a lazy translation
    find: Callable[..., list[Anomaly]]  # find(*, employees: QuerySet[User], year: int) -> list[Anomaly]


DETECTORS: list[Detector] = []
DETECTORS_BY_KIND: dict[str, Detector] = {}


def detector(kind: str, label) -> Callable:
    """Register ``find(*, employees, year)`` as the detector of ``kind`` (in the order of registration)."""

    def register(find: Callable[..., list[Anomaly]]) -> Callable[..., list[Anomaly]]:
        DETECTORS.append(Detector(kind=kind, label=label, find=find))
        DETECTORS_BY_KIND[kind] = DETECTORS[-1]
        return find

    return register


def _live_credits() -> QuerySet[LedgerEntry]:
    """Credits that still stand (not reversed since). NOT EXISTS rather than the reverse
    relation's LEFT JOIN ... IS NULL, which PostgreSQL does not see as an anti-join (it then estimates one row
    and picks nested loops over the whole ledger)."""
    reversed_ = LedgerEntry.objects.filter(reverses_id=OuterRef("pk"))
    return LedgerEntry.objects.filter(~Exists(reversed_), reverses__isnull=True, jp__gt=0)


def _year_dates(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _entries(ids: Iterable[int]) -> dict[int, LedgerEntry]:
    ids, found = list(ids), {}
    for chunk in _chunks(ids):
        found.update((e.pk, e) for e in LedgerEntry.objects.filter(pk__in=chunk).only(*_ENTRY_FIELDS))
    return found


def _people(ids: Iterable[int]) -> dict[int, User]:
    return User.objects.select_related("unit").in_bulk(list(set(ids)))


# a) Many JP in a short time ---------------------------------------------------------------------------


@detector("burst", gettext_lazy("Banyak JP dalam waktu singkat"))
def bursts(*, employees: QuerySet[User], year: int) -> list[Anomaly]:
    """Employees whose verified credits within some window of ``ANOMALY_BURST_HOURS`` hours add up to more
    than ``ANOMALY_BURST_JP``. A credit's moment is its statement's time when it rests on one of the
    platform's statements, else the start of its day in Jakarta (claims, corrections and imports have a date
    only). Overlapping windows of one employee make one row, dated by its last credit (in ``year``).

    Credits HR revoked since stay on their row (shown as revoked); a row whose standing credits no longer
    exceed the limit is ``resolved``.

    Three queries for the credits, the revoked among them and their statements' times, then a sort and a
    binary search in numpy (each credit's window starts at the first credit less than the window before it):
    no query per employee."""
    window = int(settings.ANOMALY_BURST_HOURS) * 3600
    limit = int(Decimal(settings.ANOMALY_BURST_JP) * 100)  # in hundredths of a JP: exact sums
    first, last = _year_dates(year)
    employee_ids = employees.order_by().values("pk")
    since = first - dt.timedelta(days=-(-window // 86400))  # a window may start in the year before
    credits = LedgerEntry.objects.filter(
        user__in=employee_ids,
        reverses__isnull=True,
        jp__gt=0,
        status=LedgerEntry.Status.VERIFIED,
        date__gte=since,
        date__lte=last,
    )
    rows = list(credits.values_list("pk", "user_id", "date", "jp", "statement_id"))
    if not rows:
        return []
    # Reversals are few: read them from their own side rather than asking each credit whether it was reversed.
    revoked = set(
        LedgerEntry.objects.filter(
            reverses__user__in=employee_ids, reverses__date__gte=since, reverses__date__lte=last
        ).values_list("reverses_id", flat=True)
    )
    statement_ids = [row[4] for row in rows if row[4] is not None]
    times: dict = {}
    for chunk in _chunks(statement_ids):
        times.update(Statement.objects.filter(pk__in=chunk).values_list("pk", "timestamp"))
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    users = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
    cents = np.fromiter((int(row[3] * 100) for row in rows), dtype=np.int64, count=len(rows))
    standing = np.fromiter((row[0] not in revoked for row in rows), dtype=bool, count=len(rows))
    # The start of each date in Jakarta (UTC+7 all year round), replaced by the statement's time where known.
    seconds = np.array([row[2] for row in rows], dtype="datetime64[D]").astype(np.int64) * 86400 - _JAKARTA_OFFSET
    for index, row in enumerate(rows):
        if row[4] is not None and row[4] in times:
            seconds[index] = int(times[row[4]].timestamp())
    order = np.lexsort((ids, seconds, users))
    ids, users, seconds, cents, standing = ids[order], users[order], seconds[order], cents[order], standing[order]
    # One sorted key for all employees: each one's moments in a band of its own, wider than its span plus
    # a window, so that no window reaches into the previous employee's band.
    base = seconds.min()
    band = int(seconds.max() - base) + window + 1
    key = users * band + (seconds - base)
    starts = np.searchsorted(key, key - window, side="right")
    running = np.concatenate(([0], np.cumsum(cents)))
    sums = running[1:] - running[starts]
    running_standing = np.concatenate(([0], np.cumsum(cents * standing)))
    standing_sums = running_standing[1:] - running_standing[starts]
    flagged = np.nonzero(sums > limit)[0]

    episodes: list[list[int]] = []  # [start, end, largest window sum, largest window sum of standing credits]
    for end in flagged.tolist():
        start = int(starts[end])
        if episodes and users[episodes[-1][1]] == users[end] and start <= episodes[-1][1]:
            episodes[-1][1] = end
            episodes[-1][2] = max(episodes[-1][2], int(sums[end]))
            episodes[-1][3] = max(episodes[-1][3], int(standing_sums[end]))
        else:
            episodes.append([start, end, int(sums[end]), int(standing_sums[end])])
    episodes = [e for e in episodes if dt.datetime.fromtimestamp(int(seconds[e[1]]), JAKARTA).year == year]
    if not episodes:
        return []
    wanted = [int(i) for start, end, _largest, _standing in episodes for i in ids[start : end + 1]]
    entries = _entries(wanted)
    for entry in entries.values():
        if entry.pk not in revoked:
            entry.is_reversed = False  # the revoked ones are marked with who and when by anomaly_list
    people = _people(int(users[e[0]]) for e in episodes)
    hours = int(settings.ANOMALY_BURST_HOURS)
    found = []
    for start, end, largest, largest_standing in episodes:
        own = [entries[int(i)] for i in ids[start : end + 1]]
        resolved = largest_standing <= limit
        values = {"hours": hours, "limit": formatting.jp(settings.ANOMALY_BURST_JP)}
        if resolved:
            what = _("%(jp)s JP dalam %(hours)s jam (batas %(limit)s JP); setelah pencabutan tidak melebihi batas lagi")
            values["jp"] = formatting.jp(Decimal(largest) / 100)
        else:
            what = _("%(jp)s JP dalam %(hours)s jam (batas %(limit)s JP)")
            values["jp"] = formatting.jp(Decimal(largest_standing) / 100)
        found.append(
            Anomaly(
                kind="burst",
                employee=people[int(users[start])],
                what=what % values,
                when=dt.datetime.fromtimestamp(int(seconds[end]), JAKARTA).date(),
                jp=sum((e.jp for e in own if e.pk not in revoked), Decimal("0")),
                entries=own,
                details=[
                    f"{formatting.short_date(e.date)} · {e.title} · {formatting.jp(e.jp)} JP"
                    for e in own[:_DETAILS_SHOWN]
                ],
                resolved=resolved,
            )
        )
    return found


# b) H5P items finished faster than plausible --------------------------------------------------------


@detector("too_fast", gettext_lazy("Jawaban H5P terlalu cepat"))
def too_fast(*, employees: QuerySet[User], year: int) -> list[Anomaly]:
    """H5P results sent sooner after the player opened than a person could answer (``too_fast``: kept, not
    counted), one row per employee and course, with each item and its seconds; the course's credit (if it
    was credited nevertheless, from other answers) is the entry HR may revoke."""
    start = dt.datetime(year, 1, 1, tzinfo=JAKARTA)
    results = list(
        H5PResult.objects.filter(
            too_fast=True,
            recorded_at__gte=start,
            recorded_at__lt=start.replace(year=year + 1),
            user__in=employees.order_by().values("pk"),
        )
        .select_related("content", "lesson", "enrollment__course")
        .order_by("user_id", "enrollment_id", "recorded_at", "pk")
    )
    if not results:
        return []
    groups: dict[tuple[int, int], list[H5PResult]] = defaultdict(list)
    for result in results:
        groups[(result.user_id, result.enrollment_id)].append(result)
    keys = {
        group: ledger_source_key(kind=LedgerEntry.SourceKind.COURSE, ref=rows[0].enrollment.course_id, user_id=group[0])
        for group, rows in groups.items()
    }
    credited = {
        e.source_key: e for e in LedgerEntry.objects.filter(source_key__in=list(keys.values())).only(*_ENTRY_FIELDS)
    }
    standing = set(_live_credits().filter(source_key__in=list(keys.values())).values_list("source_key", flat=True))
    people = _people(user_id for user_id, _enrollment in groups)
    found = []
    for group, rows in groups.items():
        course = rows[0].enrollment.course
        entry = credited.get(keys[group])
        details = []
        for result in rows[:_DETAILS_SHOWN]:
            item = result.content.title
            sub = (result.content.sub_items or {}).get(result.sub_content_id) if result.sub_content_id else None
            if isinstance(sub, dict) and sub.get("title"):
                item = f"{item} › {sub['title']}"
            details.append(
                _("%(item)s (%(lesson)s): %(seconds)s detik")
                % {"item": item, "lesson": result.lesson.title, "seconds": result.seconds}
            )
        if len(rows) > _DETAILS_SHOWN:
            details.append(_("… dan %(n)s lagi") % {"n": len(rows) - _DETAILS_SHOWN})
        found.append(
            Anomaly(
                kind="too_fast",
                employee=people[group[0]],
                what=ngettext(
                    "%(n)s jawaban terlalu cepat di kursus %(course)s",
                    "%(n)s jawaban terlalu cepat di kursus %(course)s",
                    len(rows),
                )
                % {"n": len(rows), "course": course.title},
                when=rows[-1].recorded_at.astimezone(JAKARTA).date(),
                jp=entry.jp if entry is not None and entry.source_key in standing else Decimal("0"),
                entries=[entry] if entry is not None else [],
                details=details,
            )
        )
    return found


# c) The same evidence used twice ----------------------------------------------------------------------


@detector("duplicate", gettext_lazy("Bukti dipakai dua kali"))
def duplicates(*, employees: QuerySet[User], year: int) -> list[Anomaly]:
    """The same evidence behind two standing credits (the same ``evidence`` or the same ``statement_id``), or
    two claims (of anyone; withdrawn ones aside) with the same certificate number (letter case and outer
    spaces ignored) or the same evidence file, at least one of them credited. One row per employee involved
    whose own credits or claims fall in ``year``."""
    return [*_duplicate_credits(employees=employees, year=year), *_duplicate_claims(employees=employees, year=year)]


def _groups(pairs: Iterable[tuple[object, tuple]]) -> list[list]:
    """Items sharing any key, joined (union-find over the few items found twice)."""
    parent: dict = {}

    def root(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item, keys in pairs:
        for key in keys:
            parent[root(key)] = root(item)
        root(item)
    joined: dict = defaultdict(list)
    for item, _keys in pairs:
        joined[root(item)].append(item)
    return list(joined.values())


def _duplicate_credits(*, employees: QuerySet[User], year: int) -> list[Anomaly]:
    # The keys found twice among all credits, each grouping an ordered scan of its index (ledger_credit_evidence,
    # ledger_statement: about a quarter of a second for 400,000 entries on PostgreSQL, whatever the scope), then
    # the credits on those keys; an OR of IN subqueries would make PostgreSQL filter the whole ledger.
    credits = LedgerEntry.objects.filter(reverses__isnull=True)
    twice_evidence = list(
        credits.exclude(evidence="")
        .values("evidence")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("evidence", flat=True)
    )
    twice_statement = list(
        credits.filter(statement_id__isnull=False)
        .values("statement_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("statement_id", flat=True)
    )
    if not twice_evidence and not twice_statement:
        return []
    entries = list(
        credits.filter(jp__gt=0)
        .filter(Q(evidence__in=twice_evidence) | Q(statement_id__in=twice_statement))
        .only(*_ENTRY_FIELDS)
        .order_by("date", "pk")
    )
    # Credits HR revoked since stay in their group, shown as revoked; a group left with one standing credit
    # is resolved.
    revoked = set()
    for chunk in _chunks([e.pk for e in entries]):
        revoked.update(LedgerEntry.objects.filter(reverses_id__in=chunk).values_list("reverses_id", flat=True))
    for entry in entries:
        if entry.pk not in revoked:
            entry.is_reversed = False
    keyed = [
        (
            e,
            tuple(
                k
                for k in (e.evidence and f"evidence:{e.evidence}", e.statement_id and f"statement:{e.statement_id}")
                if k
            ),
        )
        for e in entries
    ]
    groups = [group for group in _groups(keyed) if len(group) > 1]
    involved = {e.user_id for e in entries}
    ours = set(employees.filter(pk__in=involved).values_list("pk", flat=True))
    people = _people(ours)
    found = []
    for group in groups:
        left = sum(1 for e in group if e.pk not in revoked)
        for user_id in sorted({e.user_id for e in group} & ours):
            own = [e for e in group if e.user_id == user_id]
            if not any(e.date.year == year for e in own):
                continue
            values = {
                "evidence": ", ".join(sorted({e.evidence or str(e.statement_id) for e in group})),
                "n": len(group),
            }
            if left > 1:
                what = _("Bukti %(evidence)s dipakai %(n)s entri JP") % values
            else:
                what = _(
                    "Bukti %(evidence)s dipakai %(n)s entri JP; setelah pencabutan tinggal %(left)s yang berlaku"
                ) % {
                    **values,
                    "left": left,
                }
            found.append(
                Anomaly(
                    kind="duplicate",
                    employee=people[user_id],
                    what=what,
                    when=max(e.date for e in own),
                    jp=sum((e.jp for e in own if e.pk not in revoked), Decimal("0")),
                    entries=group,
                    resolved=left <= 1,
                )
            )
    return found


def _duplicate_claims(*, employees: QuerySet[User], year: int) -> list[Anomaly]:
    claims = Claim.objects.exclude(status=Claim.Status.WITHDRAWN).annotate(number=Upper(Trim("certificate_number")))
    credited = Count("pk", filter=Q(status__in=Claim.CREDITED))
    twice_number = (
        claims.exclude(number="")
        .values("number")
        .annotate(n=Count("pk"), credited=credited)
        .filter(n__gt=1, credited__gt=0)
    )
    twice_file = (
        claims.exclude(evidence_sha256="")
        .values("evidence_sha256")
        .annotate(n=Count("pk"), credited=credited)
        .filter(n__gt=1, credited__gt=0)
    )
    found_claims = list(
        claims.filter(
            Q(number__in=twice_number.values("number")) | Q(evidence_sha256__in=twice_file.values("evidence_sha256"))
        ).order_by("end_date", "pk")
    )
    if not found_claims:
        return []
    numbers = {row["number"] for row in twice_number}
    files = {row["evidence_sha256"] for row in twice_file}

    def keys(claim: Claim) -> tuple:
        return tuple(
            key
            for key in (
                f"number:{claim.number}" if claim.number in numbers else None,
                f"file:{claim.evidence_sha256}" if claim.evidence_sha256 in files else None,
            )
            if key
        )

    groups = _groups([(claim, keys(claim)) for claim in found_claims])
    entries: dict[str, LedgerEntry] = {
        e.source_key: e
        for e in LedgerEntry.objects.filter(source_key__in=[c.source_key for c in found_claims]).only(*_ENTRY_FIELDS)
    }
    standing = set(_live_credits().filter(source_key__in=list(entries)).values_list("source_key", flat=True))
    ours = set(employees.filter(pk__in={c.user_id for c in found_claims}).values_list("pk", flat=True))
    people = _people(ours)
    found = []
    for group in groups:
        shared = defaultdict(int)
        for claim in group:
            shared[claim.number] += claim.number in numbers
        number_twice = {number for number, n in shared.items() if n > 1}
        for user_id in sorted({c.user_id for c in group} & ours):
            own = [c for c in group if c.user_id == user_id]
            own_entries = [entries[c.source_key] for c in own if c.source_key in entries]
            if not any(c.end_date.year == year for c in own) and not any(e.date.year == year for e in own_entries):
                continue
            mine = [c.certificate_number.strip() for c in own if c.number in number_twice]
            if mine:
                number = mine[0]
                what = _("Nomor sertifikat %(number)s dipakai %(n)s klaim") % {"number": number, "n": len(group)}
            else:
                what = _("Berkas bukti yang sama dipakai %(n)s klaim") % {"n": len(group)}
            found.append(
                Anomaly(
                    kind="duplicate",
                    employee=people[user_id],
                    what=what,
                    when=max(c.end_date for c in own),
                    jp=sum((e.jp for e in own_entries if e.source_key in standing), Decimal("0")),
                    entries=[entries[c.source_key] for c in group if c.source_key in entries],
                    claims=group,
                    details=[
                        f"{c.title} · {c.get_status_display()}"
                        + (f" · {c.certificate_number}" if c.certificate_number else "")
                        for c in own
                    ],
                )
            )
    return found


# HR's list -------------------------------------------------------------------------------------------------


def anomaly_units(*, viewer) -> QuerySet[Unit]:
    """The units HR may narrow the list to: where employees of their scope work, and the units above them."""
    employees = hr_reviewable_employees(viewer=viewer)
    if employees is None:
        return Unit.objects.none()
    paths = set(Unit.objects.filter(pk__in=employees.order_by().values("unit_id")).values_list("path", flat=True))
    step = Unit.steplen
    wanted = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    return Unit.objects.filter(path__in=wanted).order_by("path")


def anomaly_list(
    *, viewer, year: int, unit: Unit | None = None, kinds: Iterable[str] | None = None, employee: User | None = None
) -> list[Anomaly] | None:
    """The anomalies of ``year`` among the employees of the viewer's HR scope (within ``unit``'s subtree, or
    just ``employee``), by unit and employee; None when the viewer is not HR with a scope. Entries and claims
    of employees outside the scope are left out of each row (counted in ``hidden``)."""
    scope = hr_reviewable_employees(viewer=viewer)
    if scope is None:
        return None
    employees = scope
    if unit is not None:
        employees = employees.filter(unit_subtree_q(unit))
    if employee is not None:
        employees = employees.filter(pk=employee.pk)
    wanted = set(kinds) if kinds else None
    rows: list[Anomaly] = []
    for found in DETECTORS:
        if wanted is None or found.kind in wanted:
            rows += found.find(employees=employees, year=year)
    _keep_visible(rows, scope=scope)
    _mark_reversed(rows)
    rows.sort(key=lambda r: ((r.unit.path if r.unit else ""), r.employee.display_name, r.employee.pk, r.when))
    return rows


def _keep_visible(rows: list[Anomaly], *, scope: QuerySet[User]) -> None:
    others = {e.user_id for r in rows for e in r.entries} | {c.user_id for r in rows for c in r.claims}
    others -= {r.employee.pk for r in rows}
    visible = {r.employee.pk for r in rows} | set(scope.filter(pk__in=others).values_list("pk", flat=True))
    for row in rows:
        entries = [e for e in row.entries if e.user_id in visible]
        claims = [c for c in row.claims if c.user_id in visible]
        row.hidden = len(row.entries) - len(entries) + len(row.claims) - len(claims)
        row.entries, row.claims = entries, claims


def _mark_reversed(rows: list[Anomaly]) -> None:
    """Mark each entry whose credit no longer stands (``is_reversed``), with its reversal and, when BKPSDM
    revoked it, the revocation (who, when, why): the list says "revoked by ..." rather than just "cancelled"."""
    ids = {e.pk for r in rows for e in r.entries if not hasattr(e, "is_reversed")}
    reversals: dict[int, LedgerEntry] = {}
    for chunk in _chunks(list(ids)):
        reversals.update(
            (r.reverses_id, r)
            for r in LedgerEntry.objects.filter(reverses_id__in=chunk).only(
                "id", "reverses_id", "evidence", "created_at"
            )
        )
    refs = {}
    for credit_id, reversal in reversals.items():
        kind, _sep, ref = reversal.evidence.partition(":")
        if kind == "revocation" and ref.isdigit() and len(ref) < 18:
            refs[credit_id] = int(ref)
    revocations = LedgerRevocation.objects.select_related("revoked_by").in_bulk(list(set(refs.values())))
    for row in rows:
        for entry in row.entries:
            if entry.pk in ids:
                entry.reversal = reversals.get(entry.pk)
                entry.is_reversed = entry.reversal is not None
                entry.revocation = revocations.get(refs.get(entry.pk))


def anomalies_of_entry(*, viewer, entry: LedgerEntry) -> list[Anomaly]:
    """The anomalies the entry (or the credit it reverses) is part of, for HR's view of its evidence page."""
    credited = entry.reverses or entry
    rows = anomaly_list(viewer=viewer, year=credited.date.year, employee=credited.user) or []
    return [row for row in rows if any(e.pk == credited.pk for e in row.entries)]
