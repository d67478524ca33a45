from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shell.hooks import get_hooks


def tiles_for(request):
    tiles = [fn() for fn in get_hooks("home_tiles")]
    shown = [tile for tile in tiles if tile.is_shown(request)]
    return [{"tile": tile, "badge": tile.badge_for(request)} for tile in sorted(shown, key=lambda t: t.order)]


@login_required
def home(request):
    return render(request, "shell/home.html", {"tiles": tiles_for(request)})
