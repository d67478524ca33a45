from django.conf import settings


def shell_navigation(request):
    """The unified navigation and the inbox count, for every page; whether single sign-on is on."""
    context = {"use_oidc": getattr(settings, "USE_OIDC", False)}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return context
    from shell.inbox.selectors import unread_count

    from .selectors import menu_for

    context.update(shell_menu=lambda: menu_for(request=request), inbox_unread=lambda: unread_count(user=request.user))
    return context
