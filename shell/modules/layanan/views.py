import posixpath

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shell import formatting
from shell.files import private_file_response

from . import selectors, services
from .forms import AssignForm, RegisterForm, TransitionForm
from .models import ServiceRequest
from .workflow import ACTION_LABELS, NEEDS_NOTE, OPEN, allowed_targets


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def request_list(request):
    qs = selectors.requests_visible_to(user=request.user)
    status = request.GET.get("status", "")
    if status not in dict(ServiceRequest.Status.choices):
        status = ""
    qs = selectors.request_filter(
        qs=qs,
        status=status,
        mine=request.GET.get("saya") == "1",
        overdue=request.GET.get("terlambat") == "1",
        user=request.user,
    )
    page = Paginator(qs.order_by("due_date", "-submitted_at"), 20).get_page(request.GET.get("halaman"))
    today = selectors.today()
    rows = [(r, selectors.request_is_overdue(request=r, on=today)) for r in page]
    return render(
        request,
        "layanan/request_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "status": status,
            "statuses": ServiceRequest.Status.choices,
            "waiting": selectors.requests_waiting_count(user=request.user),
        },
    )


@login_required
@permission_required(selectors.PERM_HANDLE, raise_exception=True)
def request_register(request):
    form = RegisterForm(request.POST or None, request.FILES or None, services=selectors.services_active())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, _new = services.request_register(
                service=data["service"],
                citizen_nik=data["citizen_nik"],
                citizen_name=data["citizen_name"],
                citizen_contact=data["citizen_contact"],
                description=data["description"],
                registered_by=request.user,
                attachments=[data["attachment"]] if data.get("attachment") else [],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request,
                _("Permohonan %(number)s terdaftar. Batas waktu: %(due)s.")
                % {"number": created.number, "due": formatting.short_date(created.due_date)},
            )
            return redirect("layanan:request_detail", number=created.number)
    return render(request, "layanan/request_register.html", {"form": form})


@login_required
def request_detail(request, number: str):
    item = selectors.request_for(user=request.user, number=number)
    if item is None:
        raise Http404(_("Permohonan tidak ditemukan atau bukan wewenang Anda."))
    may_handle = selectors.request_may_be_handled_by(user=request.user, request=item)
    targets = allowed_targets(status=item.status, is_complaint=item.service.is_complaint) if may_handle else ()
    if not may_handle and item.registered_by_id == request.user.pk and item.status in OPEN:
        targets = (
            (ServiceRequest.Status.CANCELLED,)
            if ServiceRequest.Status.CANCELLED
            in allowed_targets(status=item.status, is_complaint=item.service.is_complaint)
            else ()
        )
    actions = [(t, ACTION_LABELS[t], t in NEEDS_NOTE) for t in targets]
    labels = dict(ServiceRequest.Status.choices)
    return render(
        request,
        "layanan/request_detail.html",
        {
            "item": item,
            "overdue": selectors.request_is_overdue(request=item),
            "remaining": selectors.working_days_between(start=selectors.today(), end=item.due_date),
            "timeline": [(t, labels.get(t.to_status, t.to_status)) for t in selectors.transitions_of(request=item)],
            "is_open": item.status in OPEN,
            "actions": actions,
            "officers": selectors.officers_for(request=item) if may_handle and item.status in OPEN else [],
        },
    )


@login_required
def attachment_download(request, number: str, pk: int):
    """An attachment, only to those who may see its request (a citizen's documents are private)."""
    item = selectors.request_for(user=request.user, number=number)
    attachment = item.attachments.filter(pk=pk).first() if item is not None else None
    if attachment is None:
        raise Http404(_("Lampiran tidak ditemukan atau bukan wewenang Anda."))
    # The officer's own label for it (slugified), with the extension of what the file really is.
    return private_file_response(
        attachment.file, name=slugify(posixpath.splitext(attachment.name)[0]) or f"lampiran-{attachment.pk}"
    )


@login_required
@require_POST
def request_change_status(request, number: str):
    item = selectors.request_for(user=request.user, number=number)
    if item is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Status tujuan tidak dikenal."))
        return redirect("layanan:request_detail", number=number)
    try:
        services.check_request_transition(
            request_id=item.pk,
            actor=request.user,
            to_status=form.cleaned_data["to_status"],
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        item.refresh_from_db()
        messages.success(request, _("Status permohonan: %(status)s.") % {"status": item.get_status_display()})
    return redirect("layanan:request_detail", number=number)


@login_required
@require_POST
def request_assign(request, number: str):
    item = selectors.request_for(user=request.user, number=number)
    if item is None:
        raise Http404
    form = AssignForm(request.POST)
    assignee = get_user_model().objects.filter(pk=form.data.get("assignee") or 0).first() if form.is_valid() else None
    if assignee is None:
        messages.error(request, _("Pilih petugas yang akan ditugaskan."))
        return redirect("layanan:request_detail", number=number)
    try:
        services.request_assign(request_id=item.pk, actor=request.user, assignee=assignee)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Ditugaskan kepada %(name)s.") % {"name": assignee.display_name})
    return redirect("layanan:request_detail", number=number)


@login_required
def catalogue(request):
    return render(request, "layanan/catalogue.html", {"services": selectors.services_active()})


def public_lookup(request):
    """For citizens, no login: the status of a request by its number, nothing personal."""
    number = (request.GET.get("nomor") or "").strip()[:20]
    result = selectors.public_status(number=number) if number else None
    status = 404 if number and result is None else 200
    return render(request, "layanan/public_lookup.html", {"number": number, "result": result}, status=status)
