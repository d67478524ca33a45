"""Certificate reads."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse

from shell.people.selectors import employees_visible_to
from shell.site import site_url

from .models import Certificate


def certificates_of(*, user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user=user).order_by("-issued_at")


def certificate_visible(*, viewer, pk: int) -> Certificate | None:
    """A certificate the viewer may open: their own, their team's, their HR scope's."""
    return Certificate.objects.filter(pk=pk, user__in=employees_visible_to(user=viewer)).select_related("user").first()


def certificate_by_code(*, code: str) -> Certificate | None:
    code = (code or "").strip().upper()
    if not code or "\x00" in code:  # no code holds one (and PostgreSQL cannot compare text with it)
        return None
    return Certificate.objects.filter(code=code).select_related("replaced_by").first()


def verification_url(*, certificate: Certificate) -> str:
    """The public verification page on the platform's current address. Built each time a certificate is
    shown or printed, never stored: one issued before the platform moved verifies at the new address."""
    return site_url(reverse("certificates:verify", kwargs={"code": certificate.code}))


def certificates_in_scope(*, viewer) -> QuerySet[Certificate]:
    return Certificate.objects.filter(user__in=employees_visible_to(user=viewer)).select_related("user")


def certificate_url(*, certificate: Certificate) -> str:
    """Where the holder downloads it (inside the app)."""
    return reverse("certificates:detail", kwargs={"pk": certificate.pk})


def certificates_matching(*, certificates: QuerySet[Certificate], query: str) -> QuerySet[Certificate]:
    return certificates.filter(
        Q(number__icontains=query)
        | Q(code__iexact=query)
        | Q(holder_name__icontains=query)
        | Q(holder_nip=query)
        | Q(title__icontains=query)
    )
