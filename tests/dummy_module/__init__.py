"""A fourth module that exists only for tests/test_modules.py: mounted by naming it in SHELL_MODULES."""

# What its event handler received (here, not in shell_hooks, which the registry re-imports on remount).
HANDLED: list[tuple[str, dict]] = []
