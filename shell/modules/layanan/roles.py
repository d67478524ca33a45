"""The service module's roles, merged into the shell's roles by ``roles_setup`` (hook ``role_permissions``)."""

OFFICER = "Petugas Layanan"
COORDINATOR = "Koordinator Layanan"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    OFFICER: ("layanan.handle_request",),
    COORDINATOR: ("layanan.handle_request", "layanan.view_all_requests"),
}
