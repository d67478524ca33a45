"""A small city for the course pages: Dinas A (with Bidang A1) and Dinas B, a course with a text lesson
and a quiz, its trainer, another trainer, HR scoped to A, a coordinator of A."""

from __future__ import annotations

from types import SimpleNamespace

from content.tests.factories import make_course
from lms import services
from lms.courses.services import coordinator_grant
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

from ..roles import COORDINATOR


def coordinator(unit, **kwargs):
    user = UserFactory(roles=[roles.LEARNER, COORDINATOR], unit=unit, **kwargs)
    coordinator_grant(user=user, unit=unit)
    return user


def make_city() -> SimpleNamespace:
    dinas_a = UnitFactory(name="Dinas A")
    bidang_a1 = UnitFactory(name="Bidang A1", parent=dinas_a)
    dinas_b = UnitFactory(name="Dinas B")
    trainer = UserFactory(full_name="Pelatih Kursus", roles=[roles.LEARNER, roles.TRAINER])
    other_trainer = UserFactory(full_name="Pelatih Lain", roles=[roles.LEARNER, roles.TRAINER])
    course = make_course(title="Pelayanan Prima", lessons=("text", "quiz"))
    course.trainers.add(trainer)
    course.save()
    other_course = make_course(title="Kursus Lain", lessons=("text",))
    other_course.trainers.add(other_trainer)
    other_course.save()
    in_a = UserFactory(full_name="Ani Dinas A", unit=dinas_a)
    in_a1 = UserFactory(full_name="Budi Bidang A1", unit=bidang_a1)
    in_b = UserFactory(full_name="Citra Dinas B", unit=dinas_b)
    return SimpleNamespace(
        dinas_a=dinas_a,
        bidang_a1=bidang_a1,
        dinas_b=dinas_b,
        trainer=trainer,
        other_trainer=other_trainer,
        course=course,
        other_course=other_course,
        in_a=in_a,
        in_a1=in_a1,
        in_b=in_b,
        hr_a=hr_user(unit=dinas_a, full_name="SDM Dinas A"),
        hr_city=hr_user(unit=None, full_name="SDM Kota"),
        coordinator_a=coordinator(dinas_a, full_name="Koordinator A"),
        coordinator_b=coordinator(dinas_b, full_name="Koordinator B"),
        learner=UserFactory(full_name="Pembelajar Biasa", unit=dinas_a),
    )


def enrol(user, course):
    return services.check_enrollment_self(user=user, course_id=course.pk)
