"""Certificates: the holder's list and PDF, HR's revoke/reissue, and the public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shell.people.selectors import hr_scope_q

from . import selectors, services
from .pdf import certificate_pdf, qr_svg


def _certificate_or_404(request, pk: int):
    certificate = selectors.certificate_visible(viewer=request.user, pk=pk)
    if certificate is None:
        raise Http404(_("Sertifikat ini tidak ada atau bukan milik Anda."))
    return certificate


def _can_manage(user, certificate) -> bool:
    scope = hr_scope_q(user=user)
    if scope is None or certificate.user_id == user.pk:
        return False
    from shell.people.models import User

    return User.objects.filter(scope, pk=certificate.user_id).exists()


@login_required
def certificate_list(request):
    return render(request, "certificates/list.html", {"certificates": selectors.certificates_of(user=request.user)})


@login_required
def certificate_detail(request, pk: int):
    certificate = _certificate_or_404(request, pk)
    verify_url = selectors.verification_url(certificate=certificate)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "verify_url": verify_url,
            "qr": qr_svg(url=verify_url),  # the PDF's QR, to be scanned from the holder's phone
            "can_manage": _can_manage(request.user, certificate),
        },
    )


@login_required
def certificate_download(request, pk: int):
    certificate = _certificate_or_404(request, pk)
    response = HttpResponse(certificate_pdf(certificate=certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{certificate.number.replace("/", "-")}.pdf"'
    return response


def _managed_or_403(request, pk: int):
    certificate = _certificate_or_404(request, pk)
    if not _can_manage(request.user, certificate):
        raise PermissionDenied(_("Hanya SDM (BKPSDM) dalam cakupannya yang dapat mencabut atau menerbitkan ulang."))
    return certificate


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate = _managed_or_403(request, pk)
    try:
        services.certificate_revoke(certificate=certificate, by=request.user, reason=request.POST.get("reason", ""))
    except services.CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sertifikat dicabut."))
    return redirect("certificates:detail", pk=pk)


@login_required
@require_POST
def certificate_reissue(request, pk: int):
    certificate = _managed_or_403(request, pk)
    try:
        new = services.certificate_reissue(
            certificate=certificate, by=request.user, reason=request.POST.get("reason", "")
        )
    except services.CertificateError as error:
        messages.error(request, str(error))
        return redirect("certificates:detail", pk=pk)
    messages.success(request, _("Sertifikat baru diterbitkan: %(number)s.") % {"number": new.number})
    return redirect("certificates:detail", pk=new.pk)


@login_required
def manage_list(request):
    """HR: the certificates of their scope, searchable by number, code, name or NIP."""
    if hr_scope_q(user=request.user) is None:
        raise PermissionDenied(_("Halaman ini untuk SDM (BKPSDM)."))
    query = (request.GET.get("q") or "").strip()[:100]
    if "\x00" in query:  # no certificate holds one (and PostgreSQL cannot compare text with it)
        error = _("Pencarian memuat karakter NUL (kode 0) yang tidak diizinkan. Hapus karakter itu, lalu cari lagi.")
        context = {"certificates": [], "q": query.replace("\x00", ""), "error": error}
        return render(request, "certificates/manage.html", context, status=400)
    certificates = selectors.certificates_in_scope(viewer=request.user).exclude(user=request.user)
    if query:
        certificates = selectors.certificates_matching(certificates=certificates, query=query)
    return render(
        request, "certificates/manage.html", {"certificates": certificates.order_by("-issued_at")[:200], "q": query}
    )


def verify(request, code: str):
    """Public (no login): is this certificate valid? Shows only what is printed on it."""
    certificate = selectors.certificate_by_code(code=code)
    status = 200 if certificate is not None else 404
    context = {"certificate": certificate, "code": code.replace("\x00", "")}
    return render(request, "certificates/verify.html", context, status=status)
