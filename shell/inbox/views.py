from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shell.hooks import notification_kinds

from . import selectors, services


@login_required
def inbox(request):
    """Notifications from every mounted module, newest first, each labelled with its type."""
    page = Paginator(selectors.notifications_for(user=request.user), 20).get_page(request.GET.get("halaman"))
    kinds = notification_kinds()
    for notification in page:
        notification.kind_label = kinds.get(notification.kind, "")
    return render(request, "shell/inbox.html", {"page_obj": page})


@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark read and follow the link into its module."""
    notification = selectors.notifications_for(user=request.user).filter(pk=pk).first()
    if notification is None:
        return redirect("inbox")
    services.notification_mark_read(user=request.user, notification_id=pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return redirect("inbox")
