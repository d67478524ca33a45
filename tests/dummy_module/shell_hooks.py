from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from shell import hooks
from shell.types import EventHandler, EventType, MenuItem, Module, NotificationType, Tile

from . import HANDLED


def page(request):
    return HttpResponse("Modul uji berjalan")


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def ping(request):
    return Response({"pong": request.user.username})


urlpatterns = [path("", page, name="index")]
api_urlpatterns = [path("ping/", ping, name="ping")]


class _Urls:
    urlpatterns = urlpatterns


class _Api:
    urlpatterns = api_urlpatterns


hooks.register_module(
    Module(
        slug="uji",
        name="Modul Uji",
        icon="grid",
        url_prefix="uji/",
        urlconf=_Urls,
        api_prefix="uji/",
        api_urlconf=_Api,
        tiles=(lambda: Tile(slug="uji", title="Modul Uji", url="/uji/", order=99, badge=lambda r: "7 tugas uji"),),
        menu_items=(lambda: MenuItem(label="Uji", url="/uji/", order=99),),
        notification_types=lambda: [NotificationType("uji.ping", "Ping uji")],
        events_published=(EventType("uji.pinged", {"user_id": int}, "Someone pinged the test module."),),
        event_handlers=lambda: [
            EventHandler(
                "layanan.request.done", "uji.log", lambda event_id, payload: HANDLED.append((event_id, payload))
            )
        ],
    )
)
