"""Writes of competency planning. Request-facing writes check who may act and lock the row first
(``check_*``); every notice leaves after commit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, DeliveryMode, DevelopmentForm
from shell.inbox.services import notification_create
from shell.people.models import User
from shell.people.selectors import hr_scope_q
from shell.site import site_url

from . import selectors, xlsx
from .models import (
    Assessment,
    BehaviourIndicator,
    Competency,
    CompetencyResult,
    CompetencyType,
    DevelopmentPlan,
    IndicatorAnswer,
    PerformanceRating,
    PlanItem,
    Position,
    PositionStandard,
)

NOTIFY_ASSESSMENT_SUBMITTED = "planning.assessment_submitted"
NOTIFY_ASSESSMENT_VALIDATED = "planning.assessment_validated"
NOTIFY_PLAN_PROPOSED = "planning.plan_proposed"
NOTIFY_PLAN_DECIDED = "planning.plan_decided"


class PlanningError(Exception):
    """A request that cannot be carried out, with a message the person can act on."""


def _notify_on_commit(*, user_id: int | None, kind: str, title: str, url: str, dedupe_key: str) -> None:
    if user_id is None:
        return
    transaction.on_commit(
        lambda: notification_create(
            user=User.objects.get(pk=user_id), kind=kind, title=title, url=site_url(url), dedupe_key=dedupe_key
        )
    )


# -- dictionary and standards (XLSX) -------------------------------------------------------------------------

_TYPES = {value: value for value, _label in CompetencyType.choices} | {
    str(label).lower(): value for value, label in CompetencyType.choices
}
_POSITION_TYPES = {value: value for value, _label in Position.Type.choices} | {
    str(label).lower(): value for value, label in Position.Type.choices
}


def dictionary_export() -> bytes:
    competencies = Competency.objects.order_by("type", "code")
    return xlsx.write_workbook(
        {
            xlsx.SHEET_COMPETENCIES: [(c.code, c.name, c.type, c.description) for c in competencies],
            xlsx.SHEET_INDICATORS: [
                (i.competency.code, i.level, i.text)
                for i in BehaviourIndicator.objects.select_related("competency").order_by(
                    "competency__type", "competency__code", "level", "order", "pk"
                )
            ],
            xlsx.SHEET_POSITIONS: [(p.code, p.name, p.type) for p in Position.objects.order_by("code")],
            xlsx.SHEET_STANDARDS: [
                (s.position.code, s.competency.code, s.required_level)
                for s in PositionStandard.objects.select_related("position", "competency").order_by(
                    "position__code", "competency__code"
                )
            ],
        }
    )


def dictionary_import(*, upload) -> dict[str, int]:
    """Adds and updates competencies, indicators, positions and standards from the workbook (by code; nothing
    is deleted: an indicator or a standard left out of the file stays). All or nothing."""
    sheets = xlsx.read_workbook(
        upload,
        (xlsx.SHEET_COMPETENCIES, xlsx.SHEET_INDICATORS, xlsx.SHEET_POSITIONS, xlsx.SHEET_STANDARDS),
    )
    if not any(sheets.values()):
        raise xlsx.XlsxError(
            [_("Berkas tidak berisi baris data di lembar Kompetensi, Indikator, Jabatan, atau Standar.")]
        )
    errors: list[str] = []
    competencies: dict[str, dict] = {}
    for row in sheets.get(xlsx.SHEET_COMPETENCIES, []):
        code, name, kind, description = (xlsx.text(v) for v in row.values)
        if not code or len(code) > 32:
            errors.append(row.where("Kode") + ": " + _("isi kode (maksimal 32 karakter)."))
        elif code in competencies:
            errors.append(row.where("Kode") + ": " + _("kode %(code)s muncul dua kali.") % {"code": code})
        if not name or len(name) > 200:
            errors.append(row.where("Nama") + ": " + _("isi nama (maksimal 200 karakter)."))
        if kind.lower() not in _TYPES:
            errors.append(
                row.where("Jenis")
                + ": "
                + _("jenis harus salah satu dari: %(types)s.")
                % {"types": ", ".join(v for v, _l in CompetencyType.choices)}
            )
        competencies[code] = {"name": name, "type": _TYPES.get(kind.lower()), "description": description[:5000]}
    known_competencies = set(Competency.objects.values_list("code", flat=True)) | set(competencies)
    indicators = []
    for row in sheets.get(xlsx.SHEET_INDICATORS, []):
        code, lvl, body = xlsx.text(row.values[0]), xlsx.level(row.values[1]), xlsx.text(row.values[2])
        if code not in known_competencies:
            errors.append(
                row.where("Kode kompetensi") + ": " + _("kompetensi %(code)s tidak dikenal.") % {"code": code}
            )
        if lvl is None:
            errors.append(row.where("Level") + ": " + _("level harus angka 1 sampai 5."))
        if not body or len(body) > 500:
            errors.append(row.where("Indikator perilaku") + ": " + _("isi indikator (maksimal 500 karakter)."))
        indicators.append((code, lvl, body))
    positions: dict[str, dict] = {}
    for row in sheets.get(xlsx.SHEET_POSITIONS, []):
        code, name, kind = (xlsx.text(v) for v in row.values)
        if not code or len(code) > 32:
            errors.append(row.where("Kode") + ": " + _("isi kode (maksimal 32 karakter)."))
        elif code in positions:
            errors.append(row.where("Kode") + ": " + _("kode %(code)s muncul dua kali.") % {"code": code})
        if not name or len(name) > 200:
            errors.append(row.where("Nama jabatan") + ": " + _("isi nama jabatan (maksimal 200 karakter)."))
        elif any(p["name"].lower() == name.lower() for c, p in positions.items() if c != code):
            errors.append(
                row.where("Nama jabatan") + ": " + _("nama jabatan %(name)s muncul dua kali.") % {"name": name}
            )
        elif Position.objects.filter(name__iexact=name).exclude(code=code).exists():
            errors.append(
                row.where("Nama jabatan")
                + ": "
                + _("nama %(name)s sudah dipakai jabatan berkode lain.") % {"name": name}
            )
        if kind.lower() not in _POSITION_TYPES:
            errors.append(
                row.where("Jenis jabatan") + ": " + _("jenis jabatan harus struktural, fungsional, atau pelaksana.")
            )
        positions[code] = {"name": name, "type": _POSITION_TYPES.get(kind.lower())}
    known_positions = set(Position.objects.values_list("code", flat=True)) | set(positions)
    standards: dict[tuple[str, str], int | None] = {}
    for row in sheets.get(xlsx.SHEET_STANDARDS, []):
        position, competency, lvl = xlsx.text(row.values[0]), xlsx.text(row.values[1]), xlsx.level(row.values[2])
        if position not in known_positions:
            errors.append(row.where("Kode jabatan") + ": " + _("jabatan %(code)s tidak dikenal.") % {"code": position})
        if competency not in known_competencies:
            errors.append(
                row.where("Kode kompetensi") + ": " + _("kompetensi %(code)s tidak dikenal.") % {"code": competency}
            )
        if lvl is None:
            errors.append(row.where("Level") + ": " + _("level harus angka 1 sampai 5."))
        if (position, competency) in standards:
            errors.append(
                row.where("Kode kompetensi") + ": " + _("standar ini muncul dua kali untuk jabatan yang sama.")
            )
        standards[(position, competency)] = lvl
    if errors:
        raise xlsx.XlsxError(errors)

    with transaction.atomic():
        for code, fields in competencies.items():
            Competency.objects.update_or_create(code=code, defaults=fields)
        by_code = {c.code: c for c in Competency.objects.all()}
        created_indicators = 0
        for order, (code, lvl, body) in enumerate(indicators):
            _indicator, created = BehaviourIndicator.objects.get_or_create(
                competency=by_code[code], level=lvl, text=body, defaults={"order": order}
            )
            created_indicators += created
        for code, fields in positions.items():
            Position.objects.update_or_create(code=code, defaults=fields)
        position_by_code = {p.code: p for p in Position.objects.all()}
        for (position, competency), lvl in standards.items():
            PositionStandard.objects.update_or_create(
                position=position_by_code[position], competency=by_code[competency], defaults={"required_level": lvl}
            )
    return {
        "competencies": len(competencies),
        "indicators": created_indicators,
        "positions": len(positions),
        "standards": len(standards),
    }


# -- assessments ---------------------------------------------------------------------------------------------


def assessment_get_or_create(*, user, year: int) -> Assessment:
    assessment, _created = Assessment.objects.get_or_create(
        user=user, year=year, defaults={"position": selectors.position_for(user=user)}
    )
    if assessment.status == Assessment.Status.DRAFT and assessment.source == Assessment.Source.SELF:
        # Until submitted the profile follows the position the employee holds now.
        position = selectors.position_for(user=user)
        if position != assessment.position:
            assessment.position = position
            assessment.save(update_fields=["position", "updated_at"])
    return assessment


def _indicators_of(assessment: Assessment) -> dict[int, list[BehaviourIndicator]]:
    competency_ids = [s.competency_id for s in selectors.standards_of(position=assessment.position)]
    return selectors.indicators_for(competency_ids=competency_ids)


def check_self_assessment_save(
    *, user, year: int, answers: dict[int, tuple[bool | None, str]], submit: bool
) -> Assessment:
    """The employee's answers (indicator id -> (meets, example)); ``submit`` sends them to the supervisor,
    which needs every indicator answered."""
    with transaction.atomic():
        assessment = assessment_get_or_create(user=user, year=year)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != Assessment.Status.DRAFT:
            raise PlanningError(_("Penilaian tahun ini sudah diajukan; tidak bisa diubah lagi."))
        if assessment.position is None:
            raise PlanningError(
                _("Jabatan Anda (“%(position)s”) belum punya standar kompetensi. Hubungi BKPSDM.")
                % {"position": user.position or "-"}
            )
        indicators = _indicators_of(assessment)
        valid_ids = {i.pk for group in indicators.values() for i in group}
        unknown = set(answers) - valid_ids
        if unknown:
            raise PlanningError(_("Jawaban untuk indikator yang bukan bagian standar jabatan Anda ditolak."))
        existing = {a.indicator_id: a for a in assessment.answers.all()}
        for indicator_id, (meets, example) in answers.items():
            answer = existing.get(indicator_id) or IndicatorAnswer(assessment=assessment, indicator_id=indicator_id)
            answer.self_meets, answer.example = meets, (example or "")[:1000]
            answer.save()
            existing[indicator_id] = answer
        if submit:
            missing = [i for i in valid_ids if existing.get(i) is None or existing[i].self_meets is None]
            if missing:
                raise PlanningError(
                    _("Jawab semua indikator sebelum mengajukan (%(n)d belum dijawab).") % {"n": len(missing)}
                )
            meets = {i: a.self_meets for i, a in existing.items()}
            for competency_id, group in indicators.items():
                CompetencyResult.objects.update_or_create(
                    assessment=assessment,
                    competency_id=competency_id,
                    defaults={"self_level": selectors.level_from_answers(group, meets)},
                )
            assessment.status, assessment.submitted_at = Assessment.Status.SUBMITTED, timezone.now()
            assessment.save(update_fields=["status", "submitted_at", "updated_at"])
            _notify_on_commit(
                user_id=user.supervisor_id,
                kind=NOTIFY_ASSESSMENT_SUBMITTED,
                title=_("%(name)s mengajukan penilaian kompetensi %(year)d untuk divalidasi")
                % {"name": user.display_name, "year": year},
                url=f"/belajar/rencana/tim/penilaian/{assessment.pk}/",
                dedupe_key=f"planning:assessment:{assessment.pk}:submitted",
            )
        return assessment


def check_assessment_validate(
    *, supervisor, assessment_id: int, answers: dict[int, bool], note: str = ""
) -> Assessment:
    """The direct supervisor's answer per indicator stands; the validated levels follow from it."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().select_related("user").filter(pk=assessment_id).first()
        if assessment is None or assessment.user.supervisor_id != supervisor.pk:
            raise PlanningError(_("Hanya atasan langsung pegawai ini yang bisa memvalidasi penilaiannya."))
        if assessment.status != Assessment.Status.SUBMITTED:
            raise PlanningError(_("Penilaian ini tidak sedang menunggu validasi."))
        indicators = _indicators_of(assessment)
        valid_ids = {i.pk for group in indicators.values() for i in group}
        if set(answers) != valid_ids:
            raise PlanningError(_("Validasi setiap indikator (ya atau tidak) sebelum menyimpan."))
        existing = {a.indicator_id: a for a in assessment.answers.all()}
        for indicator_id, meets in answers.items():
            answer = existing.get(indicator_id) or IndicatorAnswer(assessment=assessment, indicator_id=indicator_id)
            answer.supervisor_meets = meets
            answer.save()
        for competency_id, group in indicators.items():
            CompetencyResult.objects.update_or_create(
                assessment=assessment,
                competency_id=competency_id,
                defaults={"validated_level": selectors.level_from_answers(group, answers)},
            )
        assessment.status = Assessment.Status.VALIDATED
        assessment.validated_by, assessment.validated_at = supervisor, timezone.now()
        assessment.supervisor_note = (note or "")[:2000]
        assessment.save()
        _notify_on_commit(
            user_id=assessment.user_id,
            kind=NOTIFY_ASSESSMENT_VALIDATED,
            title=_("Atasan Anda memvalidasi penilaian kompetensi %(year)d") % {"year": assessment.year},
            url="/belajar/rencana/",
            dedupe_key=f"planning:assessment:{assessment.pk}:validated",
        )
        return assessment


def assessment_centre_import(*, importer, upload) -> int:
    """Assessment-centre levels (NIP, year, competency, level) for employees in the importer's HR scope.
    They stand above self-assessment: the profile becomes validated with these levels. All or nothing."""
    scope = hr_scope_q(user=importer)
    if scope is None:
        raise PlanningError(_("Hanya BKPSDM yang bisa mengimpor hasil assessment center."))
    rows = xlsx.read_workbook(upload, (xlsx.SHEET_RESULTS,), required=(xlsx.SHEET_RESULTS,))[xlsx.SHEET_RESULTS]
    errors: list[str] = []
    nips = {xlsx.text(r.values[0]) for r in rows}
    people = {u.nip: u for u in User.objects.filter(scope, nip__in=nips)}
    competencies = {c.code: c for c in Competency.objects.all()}
    parsed: dict[tuple[int, int], dict[int, int]] = {}
    users: dict[int, User] = {}
    for row in rows:
        nip, year, code, lvl = (
            xlsx.text(row.values[0]),
            row.values[1],
            xlsx.text(row.values[2]),
            xlsx.level(row.values[3]),
        )
        user = people.get(nip)
        if user is None:
            errors.append(
                row.where("NIP") + ": " + _("NIP %(nip)s tidak dikenal atau di luar cakupan Anda.") % {"nip": nip}
            )
        try:
            year = int(float(xlsx.text(year)))
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(row.where("Tahun") + ": " + _("tahun harus angka empat digit."))
            year = None
        if code not in competencies:
            errors.append(
                row.where("Kode kompetensi") + ": " + _("kompetensi %(code)s tidak dikenal.") % {"code": code}
            )
        if lvl is None:
            errors.append(row.where("Level") + ": " + _("level harus angka 1 sampai 5."))
        if user is not None and year is not None and code in competencies and lvl is not None:
            users[user.pk] = user
            parsed.setdefault((user.pk, year), {})[competencies[code].pk] = lvl
    if not rows:
        errors.append(_("Lembar Hasil tidak berisi baris data."))
    if errors:
        raise xlsx.XlsxError(errors)
    with transaction.atomic():
        for (user_id, year), levels in parsed.items():
            user = users[user_id]
            assessment, _created = Assessment.objects.select_for_update().get_or_create(
                user=user, year=year, defaults={"position": selectors.position_for(user=user)}
            )
            assessment.source, assessment.status = Assessment.Source.ASSESSMENT_CENTRE, Assessment.Status.VALIDATED
            assessment.validated_by, assessment.validated_at = importer, timezone.now()
            if assessment.position_id is None:
                assessment.position = selectors.position_for(user=user)
            assessment.save()
            for competency_id, lvl in levels.items():
                CompetencyResult.objects.update_or_create(
                    assessment=assessment, competency_id=competency_id, defaults={"validated_level": lvl}
                )
    return len(parsed)


# -- performance gap (from e-Kinerja's event) -----------------------------------------------------------------


def performance_rating_record(*, user_id: int, year: int, rating: str, targets_met: bool) -> PerformanceRating | None:
    """Keeps the verdict e-Kinerja announced (the last one for a year stands; an event seen twice changes nothing)."""
    if rating not in PerformanceRating.Rating.values or not User.objects.filter(pk=user_id).exists():
        return None
    rating_row, _created = PerformanceRating.objects.update_or_create(
        user_id=user_id, year=year, defaults={"rating": rating, "targets_met": targets_met}
    )
    return rating_row


def on_skp_rated(name: str, payload: dict) -> None:
    performance_rating_record(
        user_id=payload["user_id"], year=payload["year"], rating=payload["rating"], targets_met=payload["targets_met"]
    )


# -- development plans -----------------------------------------------------------------------------------------


def plan_get_or_create(*, user, year: int) -> DevelopmentPlan:
    plan, _created = DevelopmentPlan.objects.get_or_create(user=user, year=year)
    return plan


def _locked_own_plan(*, user, year: int) -> DevelopmentPlan:
    plan = plan_get_or_create(user=user, year=year)
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.editable:
        raise PlanningError(_("Rencana ini sudah diajukan atau disepakati; butirnya tidak bisa diubah."))
    return plan


def check_plan_item_add(
    *,
    user,
    year: int,
    competency_id: int | None,
    for_performance: bool = False,
    course_id: int | None = None,
    offer_id: int | None = None,
    external_title: str = "",
    form: str = "",
    jp: Decimal | str | None = None,
    priority: int = PlanItem.Priority.MEDIUM,
    quarter: int = 1,
) -> PlanItem:
    """Adds one item to the employee's own plan. A course or an offer brings its own form and JP; an
    external activity names its form and JP."""
    external_title = (external_title or "").strip()[:200]
    if sum(bool(x) for x in (course_id, offer_id, external_title)) != 1:
        raise PlanningError(_("Pilih satu: kursus katalog, kelas tatap muka, atau kegiatan di luar platform."))
    if quarter not in (1, 2, 3, 4):
        raise PlanningError(_("Triwulan harus 1 sampai 4."))
    if priority not in PlanItem.Priority.values:
        raise PlanningError(_("Prioritas tidak dikenal."))
    competency = None
    if competency_id:
        competency = Competency.objects.filter(pk=competency_id, is_active=True).first()
        if competency is None:
            raise PlanningError(_("Kompetensi tidak dikenal."))
    elif not for_performance:
        raise PlanningError(_("Pilih kompetensi yang dikembangkan, atau tandai butir ini untuk kesenjangan kinerja."))
    course = offer = None
    if course_id:
        course = CoursePage.objects.live().filter(pk=course_id).first()
        if course is None:
            raise PlanningError(_("Kursus tidak ditemukan di katalog."))
        if course.delivery_mode == DeliveryMode.CLASSROOM:
            # Its credit comes from one of its classes (classroom:<session>), never from the course itself.
            raise PlanningError(_("Kursus ini tatap muka: pilih salah satu kelasnya."))
        form, jp = course.development_form, course.jp
    elif offer_id:
        offer = selectors.open_offers().filter(pk=offer_id).select_related("course").first()
        if offer is None:
            raise PlanningError(_("Kelas tidak ditemukan atau sudah lewat."))
        form, jp = offer.course.development_form, offer.credit_jp
    else:
        if form not in DevelopmentForm.values:
            raise PlanningError(_("Pilih bentuk pengembangan."))
        try:
            jp = Decimal(str(jp))
        except (InvalidOperation, TypeError):
            raise PlanningError(_("JP harus angka.")) from None
        if not (Decimal("0.5") <= jp <= Decimal("200")):
            raise PlanningError(_("JP harus antara 0,5 dan 200."))
    with transaction.atomic():
        plan = _locked_own_plan(user=user, year=year)
        if course and plan.items.filter(course=course).exists() or offer and plan.items.filter(offer=offer).exists():
            raise PlanningError(_("Kegiatan ini sudah ada di rencana Anda."))
        return PlanItem.objects.create(
            plan=plan,
            competency=competency,
            for_performance=for_performance,
            form=form,
            course=course,
            offer=offer,
            external_title=external_title if not (course or offer) else "",
            jp=jp,
            priority=priority,
            quarter=quarter,
        )


def check_plan_item_remove(*, user, year: int, item_id: int) -> None:
    with transaction.atomic():
        plan = _locked_own_plan(user=user, year=year)
        deleted, _rows = plan.items.filter(pk=item_id).delete()
        if not deleted:
            raise PlanningError(_("Butir rencana tidak ditemukan."))


def check_plan_propose(*, user, year: int) -> DevelopmentPlan:
    with transaction.atomic():
        plan = _locked_own_plan(user=user, year=year)
        if not plan.items.exists():
            raise PlanningError(_("Tambahkan paling sedikit satu butir sebelum mengajukan rencana."))
        if user.supervisor_id is None:
            raise PlanningError(_("Profil Anda belum punya atasan langsung. Hubungi BKPSDM."))
        plan.status, plan.proposed_at = DevelopmentPlan.Status.PROPOSED, timezone.now()
        plan.save(update_fields=["status", "proposed_at"])
        _notify_on_commit(
            user_id=user.supervisor_id,
            kind=NOTIFY_PLAN_PROPOSED,
            title=_("%(name)s mengajukan rencana pengembangan %(year)d") % {"name": user.display_name, "year": year},
            url=f"/belajar/rencana/tim/rencana/{plan.pk}/",
            dedupe_key=f"planning:plan:{plan.pk}:proposed:{plan.proposed_at.isoformat()}",
        )
        return plan


def check_plan_decide(*, supervisor, plan_id: int, agree: bool, note: str = "") -> DevelopmentPlan:
    """The direct supervisor agrees the proposed plan, or returns it with a note for the employee to change."""
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        plan = DevelopmentPlan.objects.select_for_update().select_related("user").filter(pk=plan_id).first()
        if plan is None or plan.user.supervisor_id != supervisor.pk:
            raise PlanningError(_("Hanya atasan langsung pegawai ini yang bisa menyepakati rencananya."))
        if plan.status != DevelopmentPlan.Status.PROPOSED:
            raise PlanningError(_("Rencana ini tidak sedang menunggu kesepakatan."))
        if not agree and not note:
            raise PlanningError(_("Tulis catatan untuk pegawai saat mengembalikan rencana."))
        plan.status = DevelopmentPlan.Status.AGREED if agree else DevelopmentPlan.Status.RETURNED
        plan.supervisor_note = note
        if agree:
            plan.agreed_by, plan.agreed_at = supervisor, timezone.now()
        plan.save()
        _notify_on_commit(
            user_id=plan.user_id,
            kind=NOTIFY_PLAN_DECIDED,
            title=(
                _("Rencana pengembangan %(year)d Anda disepakati atasan")
                if agree
                else _("Rencana pengembangan %(year)d Anda dikembalikan atasan")
            )
            % {"year": plan.year},
            url="/belajar/rencana/rencana/",
            dedupe_key=f"planning:plan:{plan.pk}:decided:{plan.proposed_at.isoformat() if plan.proposed_at else ''}",
        )
        return plan
