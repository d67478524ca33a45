"""Uploaded files: Wagtail's images are public (as images, never HTML); every other upload is private
and never served from /media/."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("images/cover.max-800x600.png", "image/png"), ("original_images/cover.jpg", "image/jpeg")],
)
def test_images_are_served_as_images(name, content_type):
    default_storage.save(name, ContentFile(b"\x89PNG fake"))
    response = Client().get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_svg_cannot_run_script_in_the_main_origin():
    default_storage.save(
        "images/logo.svg", ContentFile(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    )
    response = Client().get("/media/images/logo.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        "sandbox" in response["Content-Security-Policy"] and "default-src 'none'" in response["Content-Security-Policy"]
    )


@pytest.mark.parametrize(
    "name",
    [
        "claims/2026/bukti.pdf",  # private: only through the claim's own view
        "layanan/2026/01/ktp.jpg",
        "reports/2026/11/kepatuhan.xlsx",
        "images/page.html",  # under the public prefix, but not an image
        "images/../claims/2026/bukti.pdf",
    ],
)
def test_nothing_else_is_served_from_media(name):
    default_storage.save(name.replace("images/../", ""), ContentFile(b"<html><script>alert(1)</script></html>"))
    assert Client().get(f"/media/{name}").status_code == 404
