"""The certificate as a PDF (reportlab), with a QR code (segno) to the public verification page."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from shell.formatting import jp, long_date

from .models import Certificate
from .selectors import verification_url

GREEN = (11 / 255, 93 / 255, 59 / 255)


def certificate_pdf(*, certificate: Certificate) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{_('Sertifikat')} {certificate.number}")
    pdf.setAuthor("Universitas Pemerintahan Kota Tangerang")

    pdf.setStrokeColorRGB(*GREEN)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    center = width / 2
    pdf.setFillColorRGB(*GREEN)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(center, height - 32 * mm, "UNIVERSITAS PEMERINTAHAN KOTA TANGERANG")
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(center, height - 50 * mm, _("SERTIFIKAT").upper())
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(center, height - 58 * mm, _("Nomor: %(number)s") % {"number": certificate.number})

    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 74 * mm, _("diberikan kepada"))
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(center, height - 86 * mm, certificate.holder_name)
    if certificate.holder_nip:
        pdf.setFont("Helvetica", 12)
        pdf.drawCentredString(center, height - 93 * mm, f"NIP {certificate.holder_nip}")

    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 106 * mm, _("yang telah menyelesaikan"))
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(center, height - 116 * mm, certificate.title[:90])
    pdf.setFont("Helvetica", 12)
    if certificate.start_date == certificate.end_date:
        when = long_date(certificate.end_date)
    else:
        when = f"{long_date(certificate.start_date)} - {long_date(certificate.end_date)}"
    pdf.drawCentredString(
        center,
        height - 125 * mm,
        _("%(jp)s jam pelajaran (JP), %(when)s") % {"jp": jp(certificate.jp), "when": when},
    )

    # Signatory, right
    x = width - 95 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawString(x, 52 * mm, _("Tangerang, %(date)s") % {"date": long_date(certificate.issued_at)})
    pdf.drawString(x, 46 * mm, certificate.signatory_position[:60])
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(x, 26 * mm, certificate.signatory_name[:60])
    if certificate.signatory_nip:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(x, 21 * mm, f"NIP {certificate.signatory_nip}")

    # QR to the verification page, left
    url = verification_url(certificate=certificate)
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=6, border=1)
    image.seek(0)
    pdf.drawImage(ImageReader(image), 22 * mm, 20 * mm, width=32 * mm, height=32 * mm)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(58 * mm, 36 * mm, _("Kode verifikasi: %(code)s") % {"code": certificate.code})
    pdf.drawString(58 * mm, 31 * mm, url[:90])
    if not certificate.is_valid:
        pdf.setFillColorRGB(0.7, 0.1, 0.1)
        pdf.setFont("Helvetica-Bold", 40)
        pdf.saveState()
        pdf.translate(center, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, _("DICABUT"))
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def qr_svg(*, url: str) -> str:
    """An inline SVG QR code (for pages)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", border=2, xmldecl=False, svgns=True, omitsize=True)
    return out.getvalue().decode()
