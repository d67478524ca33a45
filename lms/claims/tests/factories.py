import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="sertifikat.pdf", extra=b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + extra, content_type="application/pdf")


def claim_data(**overrides) -> dict:
    data = {
        "title": "Seminar Nasional Pelayanan Publik",
        "organiser": "LAN RI",
        "form": "seminar",
        "category": "teknis",
        "start_date": dt.date(2026, 2, 3),
        "end_date": dt.date(2026, 2, 4),
        "quantity": Decimal("2"),
        "jp_requested": Decimal("6"),
        "certificate_number": "",
    }
    data.update(overrides)
    return data
