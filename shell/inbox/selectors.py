from .models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(*, user):
    return Notification.objects.filter(user=user).order_by("-created_at")
