"""Modules mounted in the shell (each registers itself in its shell_hooks.py)."""
