"""Pages of the bank (the course's trainers), quizzes and attempts (learners), essay marking and item analysis.
Thin: the rules are in services and selectors."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import formset_factory
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.models import CoursePage, LessonPage

from . import selectors, services
from .formats import FormatError, gift_read, gift_write, moodle_xml_read, moodle_xml_write
from .forms import EssayGradeForm, GiftQuestionForm, ImportForm, QuizForm, SlotForm
from .models import Attempt, AttemptQuestion, Question, Quiz, QuizSlot


def _course_managed(request, course_id: int) -> CoursePage:
    course = get_object_or_404(CoursePage, pk=course_id)
    if not selectors.manages_bank(user=request.user, course=course):
        raise Http404
    return course


@login_required
def bank_index(request):
    courses = selectors.courses_with_bank_for(user=request.user)
    return render(request, "evaluation/bank_index.html", {"courses": courses})


@login_required
def bank(request, course_id: int):
    course = _course_managed(request, course_id)
    import_form, gift_form = ImportForm(), GiftQuestionForm()
    if request.method == "POST":
        if "file" in request.FILES or request.POST.get("action") == "import":
            import_form = ImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                reader = gift_read if import_form.cleaned_data["format"] == "gift" else moodle_xml_read
                upload = import_form.cleaned_data["file"]
                if upload.size > 5 * 1024 * 1024:
                    import_form.add_error("file", _("Berkas lebih dari 5 MB."))
                else:
                    try:
                        created = services.bank_import(course=course, drafts=reader(upload.read()), user=request.user)
                    except (FormatError, services.EvaluationError) as error:
                        import_form.add_error("file", str(error))
                    else:
                        messages.success(request, _("%(n)s soal diimpor.") % {"n": len(created)})
                        return redirect("evaluation:bank", course.pk)
        else:
            gift_form = GiftQuestionForm(request.POST)
            if gift_form.is_valid():
                try:
                    drafts = gift_read(gift_form.cleaned_data["gift"].encode())
                    for draft in drafts:
                        draft.category = gift_form.cleaned_data["category"]
                    created = services.bank_import(course=course, drafts=drafts, user=request.user)
                except (FormatError, services.EvaluationError) as error:
                    gift_form.add_error("gift", str(error))
                else:
                    messages.success(request, _("%(n)s soal ditambahkan.") % {"n": len(created)})
                    return redirect("evaluation:bank", course.pk)
    return render(
        request,
        "evaluation/bank.html",
        {
            "course": course,
            "questions": selectors.bank_questions(course=course).prefetch_related("versions"),
            "quizzes": Quiz.objects.filter(course=course).select_related("session"),
            "import_form": import_form,
            "gift_form": gift_form,
            "to_grade": Attempt.objects.filter(quiz__course=course, state=Attempt.State.NEEDS_GRADING).count(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def bank_export(request, course_id: int, fmt: str):
    course = _course_managed(request, course_id)
    drafts = selectors.bank_drafts(course=course)
    if fmt == "xml":
        response = HttpResponse(moodle_xml_write(drafts), content_type="application/xml; charset=utf-8")
        name = f"bank-soal-{course.pk}.xml"
    else:
        text, skipped = gift_write(drafts)
        if skipped:
            names = ", ".join(d.name for d in skipped)
            note = _("Tidak diekspor (GIFT tidak mengenal soal urutan; gunakan Moodle XML)")
            text = f"// {note}: {names}\n\n{text}"
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        name = f"bank-soal-{course.pk}.gift.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def question_edit(request, question_id: int):
    question = get_object_or_404(Question.objects.select_related("category__course"), pk=question_id)
    course = _course_managed(request, question.category.course_id)
    draft = selectors.question_draft(question)
    text, _skipped = gift_write([draft])
    form = GiftQuestionForm(
        request.POST or None, initial={"category": question.category.name, "gift": text.split("\n", 2)[-1].strip()}
    )
    if question.kind == "ordering":
        form.fields["gift"].label = _("Butir dalam urutan yang benar, satu per baris")
        form.initial["gift"] = "\n".join(draft.data["items"])
    if request.method == "POST" and form.is_valid():
        try:
            if question.kind == "ordering":
                new = selectors.question_draft(question)
                new.data = {"items": [line for line in form.cleaned_data["gift"].splitlines() if line.strip()]}
            else:
                [new] = gift_read(form.cleaned_data["gift"].encode())
                new.mark = draft.mark if "[mark:" not in form.cleaned_data["gift"] else new.mark
            new.category = form.cleaned_data["category"]
            version = services.question_update(question=question, draft=new)
        except ValueError:
            form.add_error("gift", _("Tulis tepat satu soal."))
        except (FormatError, services.EvaluationError) as error:
            form.add_error("gift", str(error))
        else:
            messages.success(request, _("Soal disimpan (versi %(n)s).") % {"n": version.number})
            return redirect("evaluation:bank", course.pk)
    return render(request, "evaluation/question_edit.html", {"course": course, "question": question, "form": form})


@login_required
def quiz_edit(request, course_id: int, quiz_id: int | None = None):
    course = _course_managed(request, course_id)
    quiz = get_object_or_404(Quiz, pk=quiz_id, course=course) if quiz_id else Quiz(course=course)
    Slots = formset_factory(SlotForm, extra=3, can_delete=False)
    initial = (
        [
            {"category": s.category_id, "count": s.count, "difficulty": s.difficulty, "tag": s.tag}
            for s in quiz.slots.all()
        ]
        if quiz.pk
        else []
    )
    form = QuizForm(request.POST or None, instance=quiz, course=course)
    slots = Slots(request.POST or None, initial=initial, form_kwargs={"course": course}, prefix="slot")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        rows = [f.cleaned_data for f in slots if f.cleaned_data.get("category") and f.cleaned_data.get("count")]
        if not rows and not form.cleaned_data.get("blueprint_from"):
            form.add_error(None, _("Tambahkan setidaknya satu kategori soal, atau pilih cetak biru."))
        else:
            with transaction.atomic():
                quiz = form.save()
                quiz.slots.all().delete()
                QuizSlot.objects.bulk_create(
                    QuizSlot(
                        quiz=quiz,
                        order=i,
                        category=r["category"],
                        count=r["count"],
                        difficulty=r["difficulty"],
                        tag=r["tag"],
                    )
                    for i, r in enumerate(rows)
                )
            messages.success(request, _("Kuis disimpan (nomor %(n)s).") % {"n": quiz.pk})
            return redirect("evaluation:bank", course.pk)
    return render(request, "evaluation/quiz_edit.html", {"course": course, "quiz": quiz, "form": form, "slots": slots})


# Learners ------------------------------------------------------------------------------------------------


def _lesson_from(request) -> LessonPage | None:
    raw = request.GET.get("pelajaran") or request.POST.get("pelajaran")
    if not raw:
        return None
    if not str(raw).isdigit():
        raise Http404
    return get_object_or_404(LessonPage.objects.live(), pk=int(raw))


@login_required
def quiz_page(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.select_related("course"), pk=quiz_id)
    lesson = _lesson_from(request)
    refused = None
    try:
        selectors.quiz_access(user=request.user, quiz=quiz, lesson=lesson)
    except selectors.AccessRefused as error:
        refused = str(error)
    attempts = list(selectors.attempts_of(user=request.user, quiz=quiz))
    open_attempt = services.attempt_open_for(quiz=quiz, user=request.user)
    if open_attempt is None:
        attempts = list(selectors.attempts_of(user=request.user, quiz=quiz))
    return render(
        request,
        "evaluation/quiz.html",
        {
            "quiz": quiz,
            "lesson": lesson,
            "refused": refused,
            "attempts": attempts,
            "open_attempt": open_attempt,
            "left": max(0, quiz.attempts_allowed - len(attempts)),
            "grade": selectors.quiz_grade_of(user=request.user, quiz=quiz),
        },
    )


@login_required
@require_POST
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    lesson = _lesson_from(request)
    back = reverse("evaluation:quiz", args=[quiz.pk]) + (f"?pelajaran={lesson.pk}" if lesson else "")
    try:
        access = selectors.quiz_access(user=request.user, quiz=quiz, lesson=lesson)
        attempt = services.attempt_start(quiz=quiz, user=request.user, registration=access.registration, lesson=lesson)
    except (selectors.AccessRefused, services.EvaluationError) as error:
        messages.error(request, str(error))
        return redirect(back)
    return redirect("evaluation:attempt", attempt.pk)


def _own_attempt(request, attempt_id: int) -> Attempt:
    # Another learner's attempt is not found (its number says nothing about whether it exists).
    return get_object_or_404(Attempt.objects.select_related("quiz__course", "lesson"), pk=attempt_id, user=request.user)


@login_required
def attempt_page(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS and selectors.seconds_left(attempt=attempt) == 0:
        services.attempt_submit(attempt=attempt)
        messages.warning(request, _("Waktu habis. Jawaban yang tersimpan sudah dinilai."))
        return redirect("evaluation:review", attempt.pk)
    if attempt.state != Attempt.State.IN_PROGRESS:
        return redirect("evaluation:review", attempt.pk)
    return render(
        request,
        "evaluation/attempt.html",
        {
            "attempt": attempt,
            "questions": selectors.attempt_questions_shown(attempt=attempt),
            "seconds_left": selectors.seconds_left(attempt=attempt),
        },
    )


def _response_from_post(post, position: int, kind: str):
    name = f"q{position}"
    if kind == "multiple":
        return post.getlist(name)
    if kind == "matching":
        prefix = f"{name}-"
        return {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix)}
    if kind == "ordering":
        raw = post.get(name, "")
        return [v for v in raw.split(",") if v != ""] if raw else []
    return post.get(name)


@login_required
@require_POST
def answer(request, attempt_id: int):
    """One answer saved as it is given (the page posts each change); JSON in, JSON out."""
    attempt = _own_attempt(request, attempt_id)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return JsonResponse({"error": _("Nomor soal tidak sah.")}, status=400)
    aq = attempt.questions.select_related("version__question").filter(position=position).first()
    if aq is None:
        return JsonResponse(
            {"error": _("Soal nomor %(n)s tidak ada dalam percobaan ini.") % {"n": position}}, status=400
        )
    try:
        services.answer_save(
            attempt=attempt,
            position=position,
            response=_response_from_post(request.POST, position, aq.version.question.kind),
        )
    except services.EvaluationError as error:
        attempt.refresh_from_db()
        status = 409 if attempt.state != Attempt.State.IN_PROGRESS else 400
        return JsonResponse(
            {"error": str(error), "review_url": reverse("evaluation:review", args=[attempt.pk])}, status=status
        )
    return JsonResponse({"saved": position, "seconds_left": selectors.seconds_left(attempt=attempt)})


@login_required
@require_POST
def attempt_finish(request, attempt_id: int):
    """Save what the form holds (answers the page could not send yet), then submit."""
    attempt = _own_attempt(request, attempt_id)
    errors = []
    if attempt.state == Attempt.State.IN_PROGRESS:
        for aq in attempt.questions.select_related("version__question"):
            response = _response_from_post(request.POST, aq.position, aq.version.question.kind)
            if response in (None, [], {}):
                continue
            try:
                services.answer_save(attempt=attempt, position=aq.position, response=response)
            except services.EvaluationError as error:
                errors.append(str(error))
                attempt.refresh_from_db()
                if attempt.state != Attempt.State.IN_PROGRESS:
                    break
    attempt = services.attempt_submit(attempt=attempt)
    for error in dict.fromkeys(errors):
        messages.warning(request, error)
    return redirect("evaluation:review", attempt.pk)


@login_required
def review(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if attempt.state == Attempt.State.IN_PROGRESS:
        return redirect("evaluation:attempt", attempt.pk)
    shown = selectors.review_of(attempt=attempt)
    return render(
        request,
        "evaluation/review.html",
        {
            "attempt": attempt,
            "review": shown,
            "questions": selectors.attempt_questions_shown(attempt=attempt, review=shown) if shown.answers else [],
            "back": reverse("evaluation:quiz", args=[attempt.quiz_id])
            + (f"?pelajaran={attempt.lesson_id}" if attempt.lesson_id else ""),
        },
    )


# Trainers: essays and item analysis ----------------------------------------------------------------------


@login_required
def grading(request, course_id: int):
    course = _course_managed(request, course_id)
    waiting = (
        AttemptQuestion.objects.filter(
            attempt__quiz__course=course, attempt__state=Attempt.State.NEEDS_GRADING, fraction__isnull=True
        )
        .select_related("attempt__user", "attempt__quiz", "version__question")
        .order_by("attempt__submitted_at")
    )
    if request.method == "POST":
        aq = get_object_or_404(
            waiting, pk=request.POST.get("answer") if str(request.POST.get("answer", "")).isdigit() else 0
        )
        form = EssayGradeForm(request.POST)
        if form.is_valid():
            try:
                services.essay_grade(
                    attempt_question=aq,
                    grader=request.user,
                    fraction=Decimal(form.cleaned_data["percent"]) / 100,
                    feedback=form.cleaned_data["feedback"],
                )
            except services.EvaluationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Nilai esai disimpan."))
            return redirect("evaluation:grading", course.pk)
        messages.error(request, _("Nilai harus 0 sampai 100."))
    return render(
        request, "evaluation/grading.html", {"course": course, "waiting": waiting[:50], "form": EssayGradeForm()}
    )


@login_required
def analysis(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.select_related("course"), pk=quiz_id)
    if not selectors.sees_item_analysis(user=request.user, course=quiz.course):
        return HttpResponseForbidden(_("Analisis butir soal hanya untuk pelatih kursus ini dan BKPSDM."))
    count, rows = selectors.item_analysis(quiz=quiz)
    context = {"quiz": quiz, "count": count, "rows": rows}
    pretest, posttest = selectors.test_pair(course=quiz.course, session_id=quiz.session_id)
    if quiz.kind != Quiz.Kind.QUIZ and pretest and posttest:
        context["gain"] = selectors.gain_of(pretest=pretest, posttest=posttest)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "attempts": count,
                "items": [
                    {
                        "question": r.question.name,
                        "difficulty": r.difficulty,
                        "discrimination": r.discrimination,
                        "options": [{"option": o, "chosen": n, "correct": c} for o, n, c in r.options],
                    }
                    for r in rows
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "evaluation/analysis.html", context)
