"""The shell's API for the mobile app: a token, the profile, the home tiles and the inbox."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from oauth2_provider.settings import oauth2_settings
from rest_framework import generics, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from shell.apps.models import ExternalApp
from shell.apps.selectors import app_is_for, apps_for_user
from shell.apps.services import app_launch_from_mobile
from shell.home.selectors import modules_for, tiles_for
from shell.hooks import notification_kinds
from shell.inbox import selectors as inbox_selectors
from shell.inbox import services as inbox_services
from shell.people.lockout import locked_out_message

from . import serializers


class LoginThrottle(AnonRateThrottle):
    rate = "20/min"


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token <key>``)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=serializers.TokenRequestSerializer,
        responses={
            200: serializers.TokenSerializer,
            400: OpenApiResponse(description="Missing fields, or a wrong username or password."),
            429: OpenApiResponse(
                description="Too many attempts from this address, or locked out after failed logins (of this "
                "username from this address, or of any usernames from this address)."
            ),
        },
    )
    def post(self, request):
        data = serializers.TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request, username=data.validated_data["username"], password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):  # django-axes refused, or this failure reached a limit
            return Response({"detail": locked_out_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if user is None or not user.is_active:
            return Response({"detail": _("Nama pengguna atau sandi salah.")}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class TokenRevokeView(APIView):
    """Log this device out: the token stops working."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=serializers.ProfileSerializer)
    def get(self, request):
        user = request.user
        user.unread_notifications = inbox_selectors.unread_count(user=user)
        return Response(serializers.ProfileSerializer(user).data)


class ModulesView(APIView):
    @extend_schema(responses=serializers.ModuleSerializer(many=True))
    def get(self, request):
        rows = [
            {
                "slug": m.slug,
                "name": str(m.name),
                "icon": m.icon,
                "url": f"/{m.url_prefix}",
                "api": f"/api/{m.api_prefix}" if m.api_prefix else "",
            }
            for m in modules_for(request=request)
        ]
        # The city's external apps the user may open: the mobile app opens `url` (the launcher).
        rows += [
            {
                "slug": f"app-{app.slug}",
                "name": app.name,
                "icon": app.icon,
                "url": reverse("apps:launch", kwargs={"slug": app.slug}),
                "api": "",
            }
            for app in apps_for_user(user=request.user)
        ]
        return Response(serializers.ModuleSerializer(rows, many=True).data)


class AppLaunchView(APIView):
    """Open one of the city's apps from the mobile app: the URL to open carries a one-time code for that
    app only (its server redeems it at /oauth/token/ within a minute), never the user's own token."""

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "slug", str, OpenApiParameter.PATH, description="The app's code.", pattern="^[-a-zA-Z0-9_]+$"
            )
        ],
        responses={
            200: serializers.AppLaunchSerializer,
            404: OpenApiResponse(description="No such app, switched off, or not for this user."),
        },
    )
    def post(self, request, slug: str):
        app = ExternalApp.objects.filter(slug=slug, enabled=True).select_related("client").first()
        if app is None or not app_is_for(app=app, user=request.user):
            raise NotFound(_("Aplikasi tidak ditemukan."))
        launch = app_launch_from_mobile(
            app=app, user=request.user, issuer=oauth2_settings.oidc_issuer(request._request)
        )
        response = Response({"url": launch.url, "expires_in": launch.expires_in})
        response["Cache-Control"] = "no-store"
        return response


class HomeView(APIView):
    """The home screen's tiles the user may see, with their badges."""

    @extend_schema(responses=serializers.TileSerializer(many=True))
    def get(self, request):
        rows = [
            {
                "slug": v.tile.slug,
                "title": str(v.tile.title),
                "description": str(v.tile.description),
                "url": v.tile.url,
                "icon": v.tile.icon,
                "badge": str(v.badge),
            }
            for v in tiles_for(request=request)
        ]
        return Response(serializers.TileSerializer(rows, many=True).data)


@extend_schema_view(get=extend_schema(parameters=[serializers.NotificationFilterSerializer]))
class NotificationList(generics.ListAPIView):
    serializer_class = serializers.NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        query = serializers.validated_query(serializers.NotificationFilterSerializer, self.request)
        qs = inbox_selectors.notifications_for(user=self.request.user)
        if query.get("unread"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "kinds": notification_kinds()}


class NotificationRead(APIView):
    @extend_schema(
        request=None, responses={204: None, 404: OpenApiResponse(description="Not the user's notification.")}
    )
    def post(self, request, pk: int):
        if not inbox_selectors.notifications_for(user=request.user).filter(pk=pk).exists():
            return Response({"detail": _("Notifikasi tidak ditemukan.")}, status=status.HTTP_404_NOT_FOUND)
        inbox_services.notification_mark_read(user=request.user, notification_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NotificationReadAll(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        inbox_services.notifications_mark_all_read(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NoSuchEndpoint(APIView):
    """Any other URL under /api/ (an unknown path, or a path parameter its converter refuses, such as
    a negative id): a JSON 404 like every other API error, not the site's HTML page."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()
