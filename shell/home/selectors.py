"""What the shell shows a user: the mounted modules, tiles and menu items they may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from shell import formatting
from shell.apps.selectors import apps_for_user, badges_for_user
from shell.hooks import get_hooks, mounted_modules
from shell.types import MenuItem, ModuleInfo, Tile


@dataclass(frozen=True)
class TileView:
    tile: Tile
    badge: str


def _badge(count: int | None):
    text = formatting.number(count) if count else ""
    return (lambda request: text) if text else None


def external_app_tiles(*, request: HttpRequest) -> list[Tile]:
    """A tile for each of the city's external apps whose audience holds the user (shell/apps), with the
    number the app set for them (inbound API)."""
    apps = apps_for_user(user=request.user)
    counts = badges_for_user(user=request.user) if apps else {}
    return [
        Tile(
            slug=f"app-{app.slug}",
            title=app.name,
            url=reverse("apps:launch", kwargs={"slug": app.slug}),
            icon=app.icon,
            order=app.order,
            description=app.description,
            badge=_badge(counts.get(app.pk)),
        )
        for app in apps
    ]


def tiles_for(*, request: HttpRequest) -> list[TileView]:
    """The home tiles the user may see, in order, each with its badge computed for them."""
    tiles = [fn() for fn in get_hooks("home_tiles")]
    shown = [tile for tile in tiles if tile.is_shown(request)]
    shown = sorted(shown + external_app_tiles(request=request), key=lambda t: t.order)
    return [TileView(tile, tile.badge_for(request)) for tile in shown]


def menu_for(*, request: HttpRequest) -> list[MenuItem]:
    items = [fn() for fn in get_hooks("menu_items")]
    return sorted((i for i in items if i.is_shown(request)), key=lambda i: i.order)


def modules_for(*, request: HttpRequest) -> list[ModuleInfo]:
    """Mounted modules the user may use (a module with a permission needs it)."""
    user = request.user
    return [m for m in mounted_modules() if not m.permission or user.has_perm(m.permission)]
