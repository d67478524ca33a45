"""The LMS's own role for bulk enrolment, merged into the shell's roles by ``roles_setup`` (hook
``role_permissions``). Which units a coordinator coordinates is a ``TrainingCoordinator`` row each."""

COORDINATOR = "Koordinator Pelatihan"

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    COORDINATOR: ("lms.enroll_self", "courses.enroll_unit"),
}
