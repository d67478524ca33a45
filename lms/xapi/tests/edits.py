"""Building test statements from a base by edits (shared by the validator tests)."""

import copy

DELETE = object()  # as an edit's value: remove the property


def edited(base, *edits):
    """A deep copy of ``base`` with edits applied: (path, value); path "a.b.0.c" or a tuple of keys."""
    statement = copy.deepcopy(base)
    for path, value in edits:
        keys = path if isinstance(path, tuple) else [int(k) if k.isdigit() else k for k in path.split(".")]
        target = statement
        for key in keys[:-1]:
            target = target[key]
        if value is DELETE:
            del target[keys[-1]]
        else:
            target[keys[-1]] = copy.deepcopy(value)
    return statement
