"""Roles are Django groups with permissions. ``setup_roles`` creates them idempotently."""

from __future__ import annotations

LEARNER = "Pembelajar"
TRAINER = "Pelatih"
REVIEWER = "Peninjau Kurikulum"
SUPERVISOR = "Atasan"
HR = "SDM"
ADMIN = "Admin"

ALL_ROLES = (LEARNER, TRAINER, REVIEWER, SUPERVISOR, HR, ADMIN)

# app_label.codename of the model permissions each role holds. Page permissions (Wagtail) are
# granted per page tree by content.services.setup_course_moderation.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    LEARNER: ("lms.enroll_self",),
    TRAINER: (
        "lms.enroll_self",
        "wagtailadmin.access_admin",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ),
    REVIEWER: (
        "lms.enroll_self",
        "wagtailadmin.access_admin",
        "wagtaildocs.choose_document",
        "wagtailimages.choose_image",
    ),
    SUPERVISOR: ("lms.enroll_self", "lms.view_team_learning", "lms.assign_course"),
    HR: ("lms.enroll_self", "lms.view_scope_learning", "lms.assign_course", "hours.view_ledgerentry"),
    ADMIN: (
        "lms.enroll_self",
        "lms.view_scope_learning",
        "lms.assign_course",
        "wagtailadmin.access_admin",
        "hours.view_ledgerentry",
        "hours.add_yearpolicy",
        "hours.change_yearpolicy",
        "hours.add_targetrule",
        "hours.change_targetrule",
    ),
}
