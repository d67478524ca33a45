import random

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import path

from shell.urls import urlpatterns as platform

_ids: list[int] = []


def bare(request):
    """One primary-key read of an employee: the cheapest page a Django view can serve from PostgreSQL."""
    if not _ids:
        _ids.extend(get_user_model().objects.values_list("pk", flat=True)[:20000])
    username = get_user_model().objects.filter(pk=random.choice(_ids)).values_list("username", flat=True).first()
    return HttpResponse(username or "", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform]
