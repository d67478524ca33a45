"""The module contract: a module is mounted by naming it in SHELL_MODULES, with no change to the
shell's code, and a module switched off leaves no trace (tile, menu, URLs, API, schema, handlers,
notifications, the operators' listing)."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from shell import events
from shell.inbox.services import notification_create
from shell.modules.layanan.services import request_register
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory, officer
from shell.testing import modules_mounted
from tests import dummy_module as dummy

pytestmark = pytest.mark.django_db

# The modules the project mounts today (whatever else the settings list alongside them).
DEFAULT = list(settings.SHELL_MODULES)


def test_a_fourth_module_appears_with_its_tile_urls_api_and_handlers(client):
    user = officer(ServiceTypeFactory().unit)
    client.force_login(user)
    with modules_mounted([*DEFAULT, "tests.dummy_module"]):
        home = client.get("/").content.decode()
        assert 'data-tile="uji"' in home and "7 tugas uji" in home
        assert 'href="/uji/">Uji</a>' in home  # its menu item
        assert client.get("/uji/").content == b"Modul uji berjalan"
        assert client.get("/api/uji/ping/").json() == {"pong": user.username}
        assert any(m["slug"] == "uji" for m in client.get("/api/modules/").json())
        assert "/api/uji/ping/" in client.get("/api/schema/").content.decode()
        out = StringIO()
        call_command("shell_modules", stdout=out)
        assert "uji: Modul Uji" in out.getvalue() and "uji.pinged" in out.getvalue()
        # Its handler receives another module's events.
        dummy.HANDLED.clear()
        events.dispatch("layanan.request.done", "ev-1", {"request_id": 0, "user_id": 0})
        assert ("ev-1", {"request_id": 0, "user_id": 0}) in dummy.HANDLED
    # Unmounted again: gone.
    assert client.get("/uji/").status_code == 404
    assert 'data-tile="uji"' not in client.get("/").content.decode()


def test_switching_the_service_module_off_removes_every_trace_of_it(client, django_capture_on_commit_callbacks):
    service = ServiceTypeFactory()
    user = officer(service.unit)
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="Warga", registered_by=user)
    notification_create(user=user, kind="layanan.assigned", title="Permohonan untuk Anda", url="/layanan/")
    client.force_login(user)

    # Mounted: everything is there.
    home = client.get("/").content.decode()
    assert 'data-tile="layanan"' in home and "1 permohonan menunggu" in home and 'href="/layanan/"' in home
    assert client.get("/layanan/").status_code == 200
    assert client.get(f"/cek-permohonan/?nomor={request.number}").status_code == 200
    assert client.get("/api/layanan/requests/").status_code == 200
    assert "Permohonan untuk Anda" in client.get("/kotak-masuk/").content.decode()

    off = [m for m in DEFAULT if m != "shell.modules.layanan"]
    with modules_mounted(off):
        home = client.get("/").content.decode()
        assert 'data-tile="layanan"' not in home and "permohonan" not in home.lower()
        assert 'href="/layanan/"' not in home  # menu
        for url in (
            "/layanan/",
            f"/layanan/permohonan/{request.number}/",
            f"/cek-permohonan/?nomor={request.number}",
            "/api/layanan/requests/",
            f"/api/layanan/status/{request.number}/",
        ):
            assert client.get(url).status_code == 404, url
        assert "/api/layanan/" not in client.get("/api/schema/").content.decode()
        assert all(m["slug"] != "layanan" for m in client.get("/api/modules/").json())
        assert all(t["slug"] != "layanan" for t in client.get("/api/home/").json())
        # Its notifications are hidden with it (kinds are "<module>.<name>").
        assert "Permohonan untuk Anda" not in client.get("/kotak-masuk/").content.decode()
        assert client.get("/api/notifications/").json()["count"] == 0
        assert not [h for h in events.handlers_for("layanan.request.done") if h.name.startswith("layanan.")]
        out = StringIO()
        call_command("shell_modules", stdout=out)
        assert "layanan" not in out.getvalue().replace("layanan.request.done", "")
        # The other modules carry on.
        assert 'data-tile="lms"' in home and 'data-tile="kinerja"' in home
        assert client.get("/kinerja/").status_code == 200
    # And it comes back when switched on again.
    assert client.get("/layanan/").status_code == 200
    assert settings.SHELL_MODULES == DEFAULT
