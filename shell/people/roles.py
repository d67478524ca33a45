"""Roles are Django groups with permissions. ``setup_roles`` creates them idempotently."""

from __future__ import annotations

LEARNER = "Pembelajar"
TRAINER = "Pelatih"
REVIEWER = "Peninjau Kurikulum"
SUPERVISOR = "Atasan"
HR = "SDM"
ADMIN = "Admin"

ALL_ROLES = (LEARNER, TRAINER, REVIEWER, SUPERVISOR, HR, ADMIN)

# Who sees whom (shell.people.selectors): the shell's own permissions, which every module reuses for
# "sees their team" and "sees their scope" instead of defining its own.
PERM_VIEW_TEAM = "people.view_team"
PERM_VIEW_SCOPE = "people.view_scope"

# app_label.codename of the permissions each role holds in the shell: seeing others, and the Wagtail
# admin (/cms/, which the shell mounts). Each module adds its own permissions to these roles through the
# ``role_permissions`` hook (its Module declaration); ``roles_setup`` merges them. Page permissions
# (Wagtail) are granted per page tree by content.services.setup_course_moderation.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    LEARNER: (),
    TRAINER: (
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ),
    REVIEWER: (
        "wagtailadmin.access_admin",
        "wagtaildocs.choose_document",
        "wagtailimages.choose_image",
    ),
    SUPERVISOR: (PERM_VIEW_TEAM,),
    HR: (PERM_VIEW_SCOPE,),
    ADMIN: (PERM_VIEW_SCOPE, "wagtailadmin.access_admin"),
}
