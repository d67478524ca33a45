"""Survey writes: templates and their links, answers (anonymous) and the certificates they release, and the
level-3 follow-up sent by the beat."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.certificates.services import certificate_issue
from lms.classroom.models import ClassSession
from lms.hours.evidence import ledger_source_key
from lms.hours.models import LedgerEntry
from lms.hours.selectors import jakarta_date
from lms.models import Enrollment
from shell.inbox.services import notification_create

from .holds import hold_decode
from .models import (
    LIKERT_MAX,
    LIKERT_MIN,
    Answer,
    CertificateHold,
    FollowUp,
    Respondent,
    Response,
    Section,
    SurveyItem,
    SurveyLink,
    SurveyTemplate,
    target_key,
)
from .selectors import Target, link_for, survey_required_unanswered, template_is_answered

MAX_ITEMS_PER_SECTION = 30
MAX_TEXT = 2000


class SurveyError(Exception):
    pass


def _clean_text(value: str, *, limit: int, what: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:  # PostgreSQL text cannot hold one
        raise SurveyError(_("%(what)s memuat karakter NUL (kode 0) yang tidak diizinkan.") % {"what": what})
    if len(value) > limit:
        raise SurveyError(
            _("%(what)s terlalu panjang: paling banyak %(limit)d karakter.") % {"what": what, "limit": limit}
        )
    return value


# Templates -----------------------------------------------------------------------------------------


def survey_template_save(
    *, by, title: str, description: str, sections: dict[str, list[str]], template: SurveyTemplate | None = None
) -> SurveyTemplate:
    """Create or rewrite a template from its statements per section (the comment section: open questions).
    A template that has been answered keeps its items: a change is refused (make a copy)."""
    title = _clean_text(title, limit=200, what=_("Judul"))
    if not title:
        raise SurveyError(_("Isi judul survei."))
    description = _clean_text(description, limit=2000, what=_("Pengantar"))
    rows: list[tuple[str, str]] = []
    for section in Section.values:
        lines = [_clean_text(line, limit=300, what=_("Pertanyaan")) for line in sections.get(section, [])]
        lines = [line for line in lines if line]
        if len(lines) > MAX_ITEMS_PER_SECTION:
            raise SurveyError(
                _("Bagian %(section)s berisi lebih dari %(n)d pertanyaan.")
                % {"section": Section(section).label, "n": MAX_ITEMS_PER_SECTION}
            )
        rows += [(section, line) for line in lines]
    if not any(section != Section.COMMENT for section, _line in rows):
        raise SurveyError(_("Tambahkan paling sedikit satu pernyataan skala 1-5."))
    with transaction.atomic():
        if template is None:
            template = SurveyTemplate.objects.create(title=title, description=description, created_by=by)
        else:
            template = SurveyTemplate.objects.select_for_update().get(pk=template.pk)
            current = [(i.section, i.text) for i in template.items.order_by("position")]
            if current != rows and template_is_answered(template=template):
                raise SurveyError(
                    _(
                        "Survei ini sudah diisi peserta; pertanyaannya tidak bisa diubah. Salin survei ini lalu ubah salinannya."
                    )
                )
            template.title, template.description = title, description
            template.save(update_fields=["title", "description"])
            if current == rows:
                return template
            template.items.all().delete()
        SurveyItem.objects.bulk_create(
            SurveyItem(
                template=template,
                section=section,
                kind=SurveyItem.Kind.COMMENT if section == Section.COMMENT else SurveyItem.Kind.LIKERT,
                text=text,
                position=position,
            )
            for position, (section, text) in enumerate(rows, start=1)
        )
    return template


def survey_template_copy(*, template: SurveyTemplate, by) -> SurveyTemplate:
    sections: dict[str, list[str]] = {}
    for item in template.items.order_by("position"):
        sections.setdefault(item.section, []).append(item.text)
    title = _("Salinan %(title)s") % {"title": template.title}
    return survey_template_save(by=by, title=title[:200], description=template.description, sections=sections)


def survey_link_save(
    *,
    by,
    template: SurveyTemplate,
    course=None,
    session: ClassSession | None = None,
    required_for_certificate: bool,
    follow_up: bool,
) -> SurveyLink:
    """Attach a template to an online course or a class (one survey each: attaching again replaces the
    template). Certificates already held are released when the survey stops being required."""
    if (course is None) == (session is None):
        raise SurveyError(_("Pilih satu kursus atau satu kelas."))
    lookup = {"course": course} if course is not None else {"session": session}
    with transaction.atomic():
        link = SurveyLink.objects.select_for_update().filter(**lookup).first()
        if link is None:
            try:
                with transaction.atomic():
                    link = SurveyLink.objects.create(
                        template=template,
                        required_for_certificate=required_for_certificate,
                        follow_up=follow_up,
                        created_by=by,
                        **lookup,
                    )
            except IntegrityError:
                link = SurveyLink.objects.select_for_update().get(**lookup)
        link.template = template
        link.required_for_certificate = required_for_certificate
        link.follow_up = follow_up
        link.save(update_fields=["template", "required_for_certificate", "follow_up"])
    if not required_for_certificate:
        holds_release_unblocked()
    return link


def survey_link_delete(*, link: SurveyLink) -> None:
    link.delete()
    holds_release_unblocked()


# Answers -------------------------------------------------------------------------------------------


def answer_keys(*, target: Target) -> list[tuple[SurveyItem, int | None]]:
    """Every (item, trainer) the form asks: the trainer section once per trainer of the class or course."""
    trainers = target.trainers()
    keys: list[tuple[SurveyItem, int | None]] = []
    for item in target.link.template.items.order_by("position"):
        if item.section == Section.TRAINER:
            keys += [(item, trainer.pk) for trainer in trainers]
        else:
            keys.append((item, None))
    return keys


def survey_submit(*, user, target: Target, answers: dict[tuple[int, int | None], int | str]) -> Response:
    """Keep one participant's answers, anonymously, and release the certificates that waited for them.

    ``answers`` maps (item id, trainer id or None) to a score (Likert) or a text (open question). Every
    Likert statement must be answered, nothing else is accepted; answering twice is refused."""
    expected = answer_keys(target=target)
    wanted = {(item.pk, trainer) for item, trainer in expected}
    stray = set(answers) - wanted
    if stray:
        raise SurveyError(_("Jawaban untuk pertanyaan yang tidak ada di survei ini ditolak."))
    rows = []
    for item, trainer in expected:
        value = answers.get((item.pk, trainer))
        if item.kind == SurveyItem.Kind.LIKERT:
            if value in (None, ""):
                raise SurveyError(_("Pilih nilai 1-5 untuk: %(item)s") % {"item": item.text})
            try:
                score = int(value)
            except (TypeError, ValueError):
                score = 0
            if not LIKERT_MIN <= score <= LIKERT_MAX:
                raise SurveyError(_("Nilai untuk %(item)s harus 1 sampai 5.") % {"item": item.text})
            rows.append(Answer(item=item, trainer_id=trainer, score=score))
        else:
            text = _clean_text(str(value or ""), limit=MAX_TEXT, what=item.text)
            if text:
                rows.append(Answer(item=item, text=text))
    now = timezone.now()
    try:
        with transaction.atomic():
            Respondent.objects.create(
                user=user, target=target.key, course=target.course, session=target.session, answered_at=now
            )
            response = Response.objects.create(
                template=target.link.template, course=target.course, session=target.session, year=target.year
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            holds_release(user=user, target=target.key)
    except IntegrityError as error:
        if Respondent.objects.filter(user=user, target=target.key).exists():
            raise SurveyError(_("Anda sudah mengisi survei ini. Jawaban hanya bisa dikirim sekali.")) from error
        raise
    return response


# Certificates that waited ----------------------------------------------------------------------------


def holds_release(*, user, target: str) -> int:
    """Issue the certificates of ``user`` that waited for this survey (each once: the hold is locked and
    marked, and certificate_issue is idempotent per source key)."""
    released = 0
    for hold in CertificateHold.objects.select_for_update().filter(user=user, target=target, released_at__isnull=True):
        if certificate_issue(user=user, **hold_decode(hold.issue)) is not None:
            hold.released_at = timezone.now()
            hold.save(update_fields=["released_at"])
            released += 1
    return released


def holds_release_unblocked() -> int:
    """Held certificates whose survey is no longer required (the link removed or made optional)."""
    released = 0
    for hold in CertificateHold.objects.filter(released_at__isnull=True).select_related("user"):
        kind, _sep, pk = hold.target.partition(":")
        if kind == "session":
            session = ClassSession.objects.filter(pk=pk).values_list("course_id", flat=True).first()
            course_id, session_id = session, int(pk)
        else:
            course_id, session_id = int(pk), None
        if course_id and not survey_required_unanswered(user=hold.user, course_id=course_id, session_id=session_id):
            with transaction.atomic():
                released += holds_release(user=hold.user, target=hold.target)
    return released


# Level 3 -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRun:
    sent: int
    reminded: int


def _completions_due(*, today: dt.date) -> list[tuple]:
    """(learner, course, session, completed_on) of completions whose follow-up is due today: completed
    SURVEY_FOLLOWUP_WEEKS weeks ago or more, but not more than SURVEY_FOLLOWUP_MAX_LATE_DAYS past that."""
    latest = today - dt.timedelta(weeks=settings.SURVEY_FOLLOWUP_WEEKS)
    earliest = latest - dt.timedelta(days=settings.SURVEY_FOLLOWUP_MAX_LATE_DAYS)
    due = []
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(earliest, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(latest + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    online = Enrollment.objects.filter(
        completed_at__gte=start, completed_at__lt=end, course__survey_link__follow_up=True
    ).select_related("user__supervisor", "course")
    due += [(e.user, e.course, None, jakarta_date(e.completed_at)) for e in online]
    sessions = (
        ClassSession.objects.filter(status=ClassSession.Status.CLOSED)
        .annotate(last_date=Max("days__date"))
        .filter(last_date__gte=earliest, last_date__lte=latest)
        .select_related("course")
        .prefetch_related("registrations__user__supervisor")
    )
    for session in sessions:
        link = link_for(course_id=session.course_id, session_id=session.pk)
        if link is None or not link.follow_up:
            continue
        # Completed: credited for the class (the ledger's verified credit, not reversed).
        keys = {
            ledger_source_key(kind=LedgerEntry.SourceKind.CLASSROOM, ref=session.pk, user_id=r.user_id): r.user
            for r in session.registrations.all()
        }
        credited = LedgerEntry.objects.filter(
            source_key__in=keys, reverses__isnull=True, reversed_by__isnull=True, status=LedgerEntry.Status.VERIFIED
        ).values_list("source_key", flat=True)
        due += [(keys[key], session.course, session, session.last_date) for key in credited]
    return due


def _notify_follow_up(follow_up: FollowUp, *, reminder: bool) -> None:
    title = follow_up.session.display_title if follow_up.session_id else follow_up.course.title
    if follow_up.role == FollowUp.Role.LEARNER:
        subject = _("Bagaimana penerapan pelatihan %(title)s di tempat kerja?") % {"title": title}
        body = _("Ceritakan singkat apakah yang Anda pelajari sudah diterapkan, dengan satu contoh.")
    else:
        subject = _("Penerapan pelatihan oleh %(name)s: %(title)s") % {
            "name": follow_up.learner.display_name,
            "title": title,
        }
        body = _("Sebagai atasan, nilai apakah hasil pelatihan sudah diterapkan di tempat kerja, dengan satu contoh.")
    if reminder:
        subject = _("Pengingat: %(subject)s") % {"subject": subject}
    notification_create(
        user=follow_up.respondent,
        kind="lms.survey_follow_up",
        title=subject,
        body=body,
        url=f"/belajar/survei/tindak-lanjut/{follow_up.pk}/",
        dedupe_key=f"survey-follow-up:{follow_up.pk}:{'reminder' if reminder else 'sent'}",
    )


def follow_ups_send(*, now: dt.datetime | None = None) -> FollowUpRun:
    """The beat's run: the follow-up to each learner and supervisor whose time has come, and one reminder
    to those who have not answered after SURVEY_FOLLOWUP_REMINDER_DAYS. Running it twice sends nothing
    twice (one row per learner, course or class and role; the reminder is marked under a lock; the inbox
    de-duplicates on the row)."""
    now = now or timezone.now()
    today = jakarta_date(now)
    sent = 0
    for learner, course, session, completed_on in _completions_due(today=today):
        key = target_key(course_id=course.pk, session_id=session.pk if session else None)
        respondents = [(FollowUp.Role.LEARNER, learner)]
        if learner.supervisor_id and learner.supervisor.is_active:
            respondents.append((FollowUp.Role.SUPERVISOR, learner.supervisor))
        for role, respondent in respondents:
            with transaction.atomic():
                follow_up, created = FollowUp.objects.get_or_create(
                    learner=learner,
                    target=key,
                    role=role,
                    defaults={
                        "respondent": respondent,
                        "course": course,
                        "session": session,
                        "completed_on": completed_on,
                        "sent_at": now,
                    },
                )
                if created:
                    _notify_follow_up(follow_up, reminder=False)
                    sent += 1
    reminded = 0
    cutoff = now - dt.timedelta(days=settings.SURVEY_FOLLOWUP_REMINDER_DAYS)
    for pk in FollowUp.objects.filter(
        answered_at__isnull=True, reminded_at__isnull=True, sent_at__lte=cutoff
    ).values_list("pk", flat=True):
        with transaction.atomic():
            # Marked only by the run that finds it unmarked: a concurrent run reminds nobody twice.
            if FollowUp.objects.filter(pk=pk, reminded_at__isnull=True, answered_at__isnull=True).update(
                reminded_at=now
            ):
                follow_up = FollowUp.objects.select_related("learner", "respondent", "course", "session").get(pk=pk)
                _notify_follow_up(follow_up, reminder=True)
                reminded += 1
    return FollowUpRun(sent, reminded)


def follow_up_answer(*, user, follow_up: FollowUp, applied, example: str) -> FollowUp:
    """The learner's or supervisor's answer: how far the learning is applied at work (1-5) and an example.
    Once only, and only by the person it was sent to."""
    if follow_up.respondent_id != user.pk:
        raise SurveyError(_("Survei tindak lanjut ini bukan untuk Anda."))
    try:
        score = int(applied)
    except (TypeError, ValueError):
        score = 0
    if not LIKERT_MIN <= score <= LIKERT_MAX:
        raise SurveyError(_("Pilih nilai penerapan 1 sampai 5."))
    example = _clean_text(example, limit=MAX_TEXT, what=_("Contoh penerapan"))
    if not example:
        raise SurveyError(_("Tuliskan satu contoh penerapan (atau mengapa belum diterapkan)."))
    with transaction.atomic():
        updated = FollowUp.objects.filter(pk=follow_up.pk, respondent=user, answered_at__isnull=True).update(
            applied=score, example=example, answered_at=timezone.now()
        )
        if not updated:
            raise SurveyError(_("Survei tindak lanjut ini sudah dijawab."))
    follow_up.refresh_from_db()
    return follow_up
