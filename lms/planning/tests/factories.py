"""A small dictionary, a position with its standard, and employees holding it."""

from __future__ import annotations

from lms.planning.models import BehaviourIndicator, Competency, Position, PositionStandard
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory


def make_competency(code="PEL", name="Pelayanan Publik", type="sosial_kultural", levels=5, per_level=1) -> Competency:
    competency = Competency.objects.create(code=code, name=name, type=type)
    for level in range(1, levels + 1):
        for n in range(per_level):
            BehaviourIndicator.objects.create(
                competency=competency, level=level, text=f"{code} L{level} #{n + 1}", order=n
            )
    return competency


def make_position(name="Pengadministrasi Kependudukan", code="PK-ADM", standard=None) -> Position:
    position = Position.objects.create(code=code, name=name, type="pelaksana")
    for competency, level in (standard or {}).items():
        PositionStandard.objects.create(position=position, competency=competency, required_level=level)
    return position


def make_team(position: Position, unit=None):
    """A supervisor with one employee holding ``position``, in ``unit``."""
    unit = unit or UnitFactory()
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR], unit=unit, position="Kepala Seksi")
    employee = UserFactory(unit=unit, position=position.name, supervisor=supervisor)
    return supervisor, employee


def answers_up_to(assessment_indicators: dict, levels: dict) -> dict[int, tuple[bool, str]]:
    """Answers meeting each competency's indicators up to ``levels[competency_id]``."""
    return {
        indicator.pk: (indicator.level <= levels.get(competency_id, 0), "contoh")
        for competency_id, group in assessment_indicators.items()
        for indicator in group
    }
