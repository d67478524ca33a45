from shell.hooks import get_hooks


def shell_navigation(request):
    """The unified navigation and the inbox count, for every page."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from shell.inbox.selectors import unread_count

    def menu():
        items = [fn() for fn in get_hooks("menu_items")]
        return sorted((i for i in items if i.is_shown(request)), key=lambda i: i.order)

    return {"shell_menu": menu, "inbox_unread": lambda: unread_count(user=request.user)}
