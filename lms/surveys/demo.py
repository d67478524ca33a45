"""Demo data of the participants' surveys (hook "demo_data", idempotent): a template by the demo trainer, on
one online course and one past class, each answered by six colleagues (certificates held until they
answered), and the level-3 follow-up sent and partly answered, so that ``evaluation_report`` prints both."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from content.models import CoursePage
from lms import services as lms_services
from lms.classroom.models import ClassSession, Registration, Room, SessionDay
from lms.classroom.services import attendance_mark, check_registration_create, session_close
from lms.hours.selectors import JAKARTA, jakarta_date
from lms.models import Enrollment
from lms.xapi.transformers import learning_event_record
from shell.people.models import User

from . import selectors, services
from .models import FollowUp, Section, SurveyItem, SurveyTemplate

DEMO_TEMPLATE = "Evaluasi Penyelenggaraan Pelatihan"
DEMO_ACCOUNTS = ("pembelajar", "pelatih", "peninjau", "atasan", "sdm", "admin", "koordinator")
PARTICIPANTS = 6
SECTIONS = {
    Section.MATERIAL: [
        "Materi sesuai dengan kebutuhan pekerjaan saya",
        "Materi tersusun runtut dan mudah dipahami",
    ],
    Section.TRAINER: [
        "Pelatih menguasai materi",
        "Pelatih menjawab pertanyaan peserta dengan jelas",
    ],
    Section.ORGANISATION: ["Jadwal dan informasi pelatihan disampaikan dengan baik"],
    Section.VENUE: ["Ruang dan sarana pelatihan mendukung belajar"],
    Section.COMMENT: ["Saran untuk pelatihan berikutnya"],
}
COMMENTS = ["Tambah contoh kasus dari OPD.", "Waktu praktik diperpanjang.", "", "Materi sangat bermanfaat.", "", ""]
EXAMPLES = [
    "Formulir pelayanan kini diperiksa dengan daftar periksa dari pelatihan.",
    "Laporan bulanan disusun dengan templat baru.",
    "Belum sempat diterapkan: menunggu perubahan SOP.",
    "Rapat tim memakai teknik umpan balik yang diajarkan.",
    "Kata sandi dan berkas bersama ditata ulang.",
]


def _answer(user, *, course_id: int, session_id: int | None, index: int, today: dt.date) -> None:
    """The participant's answers: 3 to 5 varying by person and statement, a comment from some."""
    target = selectors.survey_target_for(user=user, course_id=course_id, session_id=session_id, today=today)
    if target is None or selectors.survey_answered(user=user, target=target.key):
        return
    answers = {}
    for item, trainer in services.answer_keys(target=target):
        if item.kind == SurveyItem.Kind.LIKERT:
            answers[(item.pk, trainer)] = 3 + (index + item.position) % 3
        else:
            answers[(item.pk, trainer)] = COMMENTS[index % len(COMMENTS)]
    services.survey_submit(user=user, target=target, answers=answers)


def surveys_demo_load() -> str | None:
    trainer = User.objects.filter(username="pelatih").first()
    online = CoursePage.objects.live().filter(title="Keamanan Informasi untuk Pegawai").first()
    classroom = CoursePage.objects.live().filter(delivery_mode="classroom").order_by("pk").first()
    room = Room.objects.filter(is_active=True).order_by("pk").first()
    if trainer is None or online is None or classroom is None or room is None:
        return None
    if SurveyTemplate.objects.filter(title=DEMO_TEMPLATE).exists():
        return None
    template = services.survey_template_save(
        by=trainer,
        title=DEMO_TEMPLATE,
        description="Jawaban Anda disimpan tanpa nama. Terima kasih atas masukan Anda.",
        sections=SECTIONS,
    )
    services.survey_link_save(
        by=trainer, template=template, course=online, required_for_certificate=True, follow_up=True
    )
    now = timezone.now()
    today = jakarta_date(now)
    # Completed just over the follow-up's weeks ago (so that level 3 is due), within this year when it can be.
    done = now - dt.timedelta(weeks=8, days=1)
    if jakarta_date(done).year != today.year:
        done = now - dt.timedelta(days=1)
    done_day = jakarta_date(done)
    colleagues = list(
        User.objects.filter(is_active=True, unit__isnull=False)
        .exclude(username__in=DEMO_ACCOUNTS)
        .exclude(enrollments__course=online)
        .exclude(class_registrations__session__course=classroom)
        .order_by("-pk")[: PARTICIPANTS * 2]
    )
    online_group, class_group = colleagues[:PARTICIPANTS], colleagues[PARTICIPANTS:]

    # The online course: completed (the certificate waits for the survey), then answered.
    for index, user in enumerate(online_group):
        enrollment = lms_services.check_enrollment_self(user=user, course_id=online.pk)
        Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=done - dt.timedelta(days=3))
        learning_event_record("lms.course.completed", user=user, enrollment=enrollment, timestamp=done)
        _answer(user, course_id=online.pk, session_id=None, index=index, today=today)

    # A past class of the classroom course: registered, attended, closed, answered.
    session = ClassSession.objects.create(
        course=classroom, room=room, capacity=min(room.capacity, 25), title="Angkatan Evaluasi (selesai)"
    )
    SessionDay.objects.create(session=session, date=done_day, starts_at=dt.time(8), ends_at=dt.time(16))
    session.trainers.add(trainer)
    services.survey_link_save(
        by=trainer, template=template, session=session, required_for_certificate=True, follow_up=True
    )
    before = dt.datetime.combine(done_day - dt.timedelta(days=7), dt.time(9), tzinfo=JAKARTA)
    for user in class_group:
        registration = check_registration_create(user=user, session_id=session.pk, now=before)
        if registration.status != Registration.Status.REGISTERED:
            continue
        attendance_mark(
            trainer=trainer,
            session=session,
            registration_id=registration.pk,
            day_id=session.days.get().pk,
            present=True,
            now=dt.datetime.combine(done_day, dt.time(9), tzinfo=JAKARTA),
        )
    session_close(session=session, by=trainer, now=dt.datetime.combine(done_day, dt.time(17), tzinfo=JAKARTA))
    for index, user in enumerate(class_group):
        _answer(user, course_id=classroom.pk, session_id=session.pk, index=index, today=today)

    # Level 3: sent now (the completions are due), five of each group answer.
    services.follow_ups_send(now=now)
    for group, target in ((online_group, f"course:{online.pk}"), (class_group, f"session:{session.pk}")):
        for index, user in enumerate(group[:5]):
            row = FollowUp.objects.filter(learner=user, target=target, role=FollowUp.Role.LEARNER).first()
            if row is not None and row.answered_at is None:
                services.follow_up_answer(
                    user=user, follow_up=row, applied=3 + index % 3, example=EXAMPLES[index % len(EXAMPLES)]
                )
    last_day = ClassSession.objects.filter(pk=session.pk).aggregate(d=Max("days__date"))["d"]
    return (
        f"Survei peserta: '{DEMO_TEMPLATE}' pada '{online.title}' dan '{session.display_title}' ({last_day}), "
        f"masing-masing dijawab {PARTICIPANTS} peserta; hasil di /belajar/survei/hasil/ (pelatih, sdm); "
        f"`manage.py evaluation_report --year {done_day.year} --format json`."
    )
