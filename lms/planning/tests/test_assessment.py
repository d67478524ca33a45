"""Self-assessment, the supervisor's validation (their answer stands), gaps, the assessment centre's import,
and the performance gap e-Kinerja announces."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.planning import selectors, services, xlsx
from lms.planning.models import Assessment, CompetencyResult, PerformanceRating
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory, hr_user

from .factories import answers_up_to, make_competency, make_position, make_team

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def setup():
    pel, data = make_competency("PEL"), make_competency("DATA", "Pengelolaan Data", "teknis")
    position = make_position(standard={pel: 3, data: 2})
    supervisor, employee = make_team(position)
    return pel, data, position, supervisor, employee


def _indicators(position):
    return selectors.indicators_for(competency_ids=[s.competency_id for s in position.standards.all()])


def test_levels_are_cumulative():
    pel = make_competency("PEL", per_level=2)
    group = list(pel.indicators.all())
    meets = {i.pk: i.level <= 3 for i in group}
    assert selectors.level_from_answers(group, meets) == 3
    meets[group[0].pk] = False  # one level-1 indicator unmet: nothing above counts
    assert selectors.level_from_answers(group, meets) == 0
    meets = {i.pk: True for i in group} | {group[2].pk: False}  # level 2 half met, 3-5 met
    assert selectors.level_from_answers(group, meets) == 1


def test_submit_validate_and_the_supervisors_answer_stands(setup, django_capture_on_commit_callbacks):
    pel, data, position, supervisor, employee = setup
    indicators = _indicators(position)
    with django_capture_on_commit_callbacks(execute=True):
        assessment = services.check_self_assessment_save(
            user=employee, year=YEAR, answers=answers_up_to(indicators, {pel.pk: 3, data.pk: 2}), submit=True
        )
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.position == position
    assert Notification.objects.filter(user=supervisor, kind=services.NOTIFY_ASSESSMENT_SUBMITTED).count() == 1
    # Not validated yet: no gap is claimed either way.
    assert [g.size for g in selectors.gaps_for(assessment=assessment)] == [None, None]

    # The supervisor sees level 2 for PEL and level 1 for DATA.
    supervisor_answers = {pk: meets for pk, (meets, _e) in answers_up_to(indicators, {pel.pk: 2, data.pk: 1}).items()}
    with django_capture_on_commit_callbacks(execute=True):
        services.check_assessment_validate(
            supervisor=supervisor, assessment_id=assessment.pk, answers=supervisor_answers
        )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED and assessment.validated_by == supervisor
    gaps = {g.competency.code: g for g in selectors.gaps_for(assessment=assessment)}
    assert (gaps["PEL"].self_level, gaps["PEL"].validated, gaps["PEL"].size) == (3, 2, 1)
    assert (gaps["DATA"].self_level, gaps["DATA"].validated, gaps["DATA"].size) == (2, 1, 1)
    assert Notification.objects.filter(user=employee, kind=services.NOTIFY_ASSESSMENT_VALIDATED).count() == 1
    # Validated: the employee can no longer change it.
    with pytest.raises(services.PlanningError):
        services.check_self_assessment_save(user=employee, year=YEAR, answers={}, submit=False)


def test_submit_needs_every_indicator_and_refuses_foreign_ones(setup):
    pel, data, position, supervisor, employee = setup
    indicators = _indicators(position)
    answers = answers_up_to(indicators, {pel.pk: 1})
    answers.pop(next(iter(answers)))
    with pytest.raises(services.PlanningError, match="belum dijawab"):
        services.check_self_assessment_save(user=employee, year=YEAR, answers=answers, submit=True)
    other = make_competency("LAIN")
    with pytest.raises(services.PlanningError):
        services.check_self_assessment_save(
            user=employee, year=YEAR, answers={other.indicators.first().pk: (True, "")}, submit=False
        )
    # Refused writes leave nothing behind (one transaction).
    assert not Assessment.objects.exclude(status=Assessment.Status.DRAFT).exists()


def test_only_the_direct_supervisor_validates(setup):
    pel, data, position, supervisor, employee = setup
    indicators = _indicators(position)
    assessment = services.check_self_assessment_save(
        user=employee, year=YEAR, answers=answers_up_to(indicators, {pel.pk: 1}), submit=True
    )
    all_yes = {i.pk: True for group in indicators.values() for i in group}
    other_supervisor, _other = make_team(position)
    hr = hr_user()
    for stranger in (other_supervisor, hr, employee):
        with pytest.raises(services.PlanningError, match="atasan langsung"):
            services.check_assessment_validate(supervisor=stranger, assessment_id=assessment.pk, answers=all_yes)
    # Half an answer sheet is refused.
    with pytest.raises(services.PlanningError):
        services.check_assessment_validate(
            supervisor=supervisor, assessment_id=assessment.pk, answers=dict(list(all_yes.items())[:2])
        )
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_no_standard_for_the_position_is_a_clear_error():
    employee = UserFactory(position="Jabatan Tanpa Standar")
    with pytest.raises(services.PlanningError, match="belum punya standar"):
        services.check_self_assessment_save(user=employee, year=YEAR, answers={}, submit=False)


def test_the_position_is_matched_case_insensitively(setup):
    _pel, _data, position, _supervisor, employee = setup
    employee.position = "  PENGADMINISTRASI kependudukan "
    assert selectors.position_for(user=employee) == position


def _results_file(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hasil"
    sheet.append(xlsx.HEADERS["Hasil"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("hasil.xlsx", buffer.getvalue())


def test_assessment_centre_results_stand_above_self_assessment(setup):
    pel, data, position, supervisor, employee = setup
    services.check_self_assessment_save(
        user=employee, year=YEAR, answers=answers_up_to(_indicators(position), {pel.pk: 1}), submit=True
    )
    hr = hr_user()
    n = services.assessment_centre_import(
        importer=hr, upload=_results_file([(employee.nip, YEAR, "PEL", 4), (employee.nip, YEAR, "DATA", 1)])
    )
    assert n == 1
    assessment = Assessment.objects.get(user=employee, year=YEAR)
    assert assessment.source == Assessment.Source.ASSESSMENT_CENTRE and assessment.status == Assessment.Status.VALIDATED
    gaps = {g.competency.code: g.size for g in selectors.gaps_for(assessment=assessment)}
    assert gaps == {"PEL": 0, "DATA": 1}


def test_assessment_centre_import_is_all_or_nothing_and_scoped(setup):
    pel, data, position, supervisor, employee = setup
    outsider = UserFactory(unit=None)
    hr = hr_user(unit=employee.unit)
    bad = _results_file(
        [
            (employee.nip, YEAR, "PEL", 4),
            (employee.nip, YEAR, "XXX", 2),
            (outsider.nip, YEAR, "PEL", 9),
            ("", "dua", "", ""),
        ]
    )
    with pytest.raises(xlsx.XlsxError) as caught:
        services.assessment_centre_import(importer=hr, upload=bad)
    text = "\n".join(caught.value.errors)
    assert "baris 3 kolom Kode kompetensi" in text
    assert "baris 4 kolom NIP" in text and "baris 4 kolom Level" in text  # the outsider is out of this scope
    assert "baris 5 kolom Tahun" in text
    assert not CompetencyResult.objects.exists() and not Assessment.objects.exists()
    with pytest.raises(services.PlanningError):
        services.assessment_centre_import(importer=employee, upload=_results_file([(employee.nip, YEAR, "PEL", 3)]))


def test_the_performance_gap_comes_from_kinerjas_event(setup):
    *_rest, employee = setup
    services.on_skp_rated(
        "kinerja.skp.rated", {"user_id": employee.pk, "year": YEAR, "rating": "baik", "targets_met": True}
    )
    rating = selectors.performance_rating(user=employee, year=YEAR)
    assert rating is not None and not rating.has_gap
    # Seen again, or changed: the last verdict stands, one row.
    for _ in range(2):
        services.on_skp_rated(
            "kinerja.skp.rated",
            {"user_id": employee.pk, "year": YEAR, "rating": "butuh_perbaikan", "targets_met": True},
        )
    assert PerformanceRating.objects.count() == 1
    assert selectors.performance_rating(user=employee, year=YEAR).has_gap
    services.on_skp_rated(
        "kinerja.skp.rated", {"user_id": employee.pk, "year": YEAR, "rating": "baik", "targets_met": False}
    )
    assert selectors.performance_rating(user=employee, year=YEAR).has_gap
    # Next year's plan still sees last year's verdict.
    assert selectors.performance_rating(user=employee, year=YEAR + 1).year == YEAR
    # A rating the module does not know is ignored, not a crash of the handler.
    services.on_skp_rated(
        "kinerja.skp.rated", {"user_id": employee.pk, "year": YEAR, "rating": "luar biasa", "targets_met": True}
    )
    assert PerformanceRating.objects.get().rating == "baik"
