"""What the people package brings to the shell's registry: the identity events it publishes."""

from shell import hooks

from . import events

hooks.register("event_types", lambda: list(events.EVENTS))
