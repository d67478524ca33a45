"""/api/apps/<app>/...: the inbound API of the city's registered apps (docs/apps.md).

The app's server calls it with a client-credentials token (``Authorization: Bearer``) carrying the one
scope of the capability; the app named in the path must be the token's own. Employees are named by NIP
and must be in the app's audience. Each write carries the app's own ``id``: the same id and body are
recorded once (the first answer is given again), the same id with another body gets 409. Calls are
limited per app (``APPS_API_RATE``, or the app's own limit) and every call is audited (``InboundCall``,
in the admin).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, ParseError, Throttled
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from shell.apps import inbound, scopes
from shell.apps.models import ExternalApp, InboundCall
from shell.apps.selectors import app_for_client, app_is_for, employee_by_nip

KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,99}$"


class AppTokenAuthentication(OAuth2Authentication):
    """A client-credentials token: the app's server, no person (``request.user`` is anonymous)."""

    def authenticate(self, request):
        # The token is read from the header of the Django request: an unreadable body of an anonymous
        # call is a 401 like any other, not a parse error before the login is even looked at.
        found = super().authenticate(request._request)
        if found is None:
            return None
        user, token = found
        return (user or AnonymousUser()), token


class AppTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security: OAuth 2 client credentials, the operation's one scope."""

    target_class = AppTokenAuthentication
    name = "appClientCredentials"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/oauth/token/",
                    "scopes": {scope: scope for scope in sorted(scopes.API_SCOPES)},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        return {self.name: [auto_schema.view.required_scope]}


class AppTokenPermission(BasePermission):
    """The token is an enabled app's own (client credentials), the app in the path is that app, and the
    token carries the endpoint's scope. Sets ``view.app``."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, AccessToken) or token.user_id is not None:
            self.message = _("Pakai token client credentials milik aplikasi.")
            return False
        app = app_for_client(client=token.application)
        if app is None or not app.enabled:
            self.message = _("Aplikasi tidak terdaftar atau nonaktif.")
            return False
        view.app = app
        if app.slug != view.kwargs.get("app"):
            self.message = _("Token ini milik aplikasi lain.")
            return False
        if not token.allow_scopes([view.required_scope]):
            self.message = _("Token tidak memiliki cakupan %(scope)s.") % {"scope": view.required_scope}
            return False
        return True


class AppRateThrottle(SimpleRateThrottle):
    """Per app (its client), at the app's own limit or the common one (``REST_FRAMEWORK``'s ``apps`` rate,
    from ``APPS_API_RATE``)."""

    scope = "apps"

    def allow_request(self, request, view):
        app: ExternalApp | None = getattr(view, "app", None)
        if app is None:
            return True
        self.rate = app.api_rate or self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": view.app.client.client_id}


# Input ---------------------------------------------------------------------------------------------------


class KeySerializer(serializers.Serializer):
    id = serializers.RegexField(
        KEY_PATTERN,
        max_length=100,
        help_text=gettext_lazy(
            "Id dari aplikasi Anda (1-100 karakter: huruf, angka, . _ : -). Id yang sama dengan isi yang sama "
            "dicatat sekali."
        ),
        error_messages={"invalid": gettext_lazy("Hanya huruf, angka, titik, garis bawah, titik dua dan tanda minus.")},
    )


class EmployeeSerializer(KeySerializer):
    nip = serializers.RegexField(
        r"^[0-9]{18}$",
        help_text=gettext_lazy("NIP pegawai (18 angka)."),
        error_messages={"invalid": gettext_lazy("NIP terdiri dari 18 angka.")},
    )

    def validate_nip(self, nip: str):
        app: ExternalApp = self.context["app"]
        user = employee_by_nip(nip=nip)
        if user is None:
            raise serializers.ValidationError(_("Tidak ada pegawai aktif dengan NIP ini."))
        if not app_is_for(app=app, user=user):
            raise serializers.ValidationError(_("Pegawai ini bukan pengguna aplikasi Anda."))
        self.context["employee"] = user
        return nip

    def url_checked(self, value: str) -> str:
        if value and not inbound.app_url_allowed(app=self.context["app"], url=value):
            origins = ", ".join(sorted(inbound.app_origins(app=self.context["app"])))
            raise serializers.ValidationError(
                _("Tautan harus alamat http(s) pada asal yang terdaftar untuk aplikasi ini: %(origins)s.")
                % {"origins": origins}
            )
        return value


class NotificationInSerializer(EmployeeSerializer):
    title = serializers.CharField(max_length=255)
    body = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    url = serializers.CharField(
        max_length=450,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Halaman aplikasi Anda yang dibuka dari notifikasi (pada asal yang terdaftar)."),
    )

    def validate_url(self, value: str) -> str:
        return self.url_checked(value)


class BadgeInSerializer(EmployeeSerializer):
    count = serializers.IntegerField(
        min_value=0, max_value=99999, help_text=gettext_lazy("Angka pada ubin; 0 menghapusnya.")
    )


class ActivityInSerializer(EmployeeSerializer):
    title = serializers.CharField(max_length=300)
    date = serializers.DateField(help_text=gettext_lazy("Tanggal kerja (YYYY-MM-DD, WIB), tidak di masa depan."))
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=Decimal("0.01"), required=False, default=Decimal("1")
    )
    output_unit = serializers.CharField(max_length=50, required=False, default="kegiatan")
    url = serializers.CharField(max_length=450, required=False, allow_blank=True, default="")

    def validate_date(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return value

    def validate_url(self, value: str) -> str:
        return self.url_checked(value)


class AcceptedSerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField()


class BadgeOutSerializer(serializers.Serializer):
    id = serializers.CharField()
    nip = serializers.CharField()
    count = serializers.IntegerField()


# Views ---------------------------------------------------------------------------------------------------

_OUTCOMES = {
    status.HTTP_400_BAD_REQUEST: InboundCall.Outcome.INVALID,
    status.HTTP_403_FORBIDDEN: InboundCall.Outcome.REFUSED,
    status.HTTP_409_CONFLICT: InboundCall.Outcome.CONFLICT,
    status.HTTP_429_TOO_MANY_REQUESTS: InboundCall.Outcome.THROTTLED,
}


def _detail(data: Any) -> str:
    if isinstance(data, dict):
        return "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in data.items())[:300]
    return str(data)[:300]


class InboundView(APIView):
    """One capability of the inbound API: ``perform(app, employee, key, data)`` returns the answer."""

    authentication_classes = [AppTokenAuthentication]
    permission_classes = [AppTokenPermission]
    throttle_classes = [AppRateThrottle]
    parser_classes = [JSONParser]
    required_scope: str = ""
    endpoint: str = ""
    input_serializer: type[EmployeeSerializer] = EmployeeSerializer

    app: ExternalApp | None = None

    def perform(self, *, app: ExternalApp, employee, key: str, data: dict) -> inbound.Answer:
        raise NotImplementedError

    def post(self, request, app: str):
        body = request.data
        if not isinstance(body, dict):
            raise ParseError(_("Isi permintaan harus objek JSON."))
        self.audit = {"nip": str(body.get("nip", ""))[:32]}
        key = KeySerializer(data={"id": body.get("id")})
        key.is_valid(raise_exception=True)
        key_value = self.audit["key"] = key.validated_data["id"]
        previous = inbound.inbound_previous(app=self.app, endpoint=self.endpoint, key=key_value, body=body)
        if previous is None:
            context = {"app": self.app}
            data = self.input_serializer(data=body, context=context)
            data.is_valid(raise_exception=True)
            employee = context["employee"]
            self.audit["employee_id"] = employee.pk
            previous = inbound.inbound_record(
                app=self.app,
                endpoint=self.endpoint,
                key=key_value,
                body=body,
                perform=lambda: self.perform(app=self.app, employee=employee, key=key_value, data=data.validated_data),
            )
        self.audit["replayed"] = previous.replayed
        return Response(previous.body, status=previous.status)

    def throttled(self, request, wait):
        seconds = max(int(wait or 1), 1)
        exc = Throttled(seconds)  # sets Retry-After
        message = _("Terlalu banyak panggilan dari aplikasi ini; coba lagi dalam %(s)d detik.") % {"s": seconds}
        exc.detail = ErrorDetail(message, code="throttled")
        raise exc

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.app is not None:  # an unknown or switched-off app's call has no app to file it under
            self._audit(response)
        return response

    def _audit(self, response) -> None:
        audit = getattr(self, "audit", {})
        code = response.status_code
        if code < 300:
            outcome = InboundCall.Outcome.REPLAYED if audit.get("replayed") else InboundCall.Outcome.RECORDED
        else:
            outcome = _OUTCOMES.get(code, InboundCall.Outcome.ERROR)
        InboundCall.objects.create(
            app=self.app,
            endpoint=self.endpoint,
            key=audit.get("key", ""),
            employee_id=audit.get("employee_id"),
            nip=audit.get("nip", ""),
            status_code=code,
            outcome=outcome,
            detail="" if code < 300 else _detail(getattr(response, "data", "")),
        )


SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"  # Django's slug converter
_APP_PARAMETER = OpenApiParameter(
    "app", str, OpenApiParameter.PATH, description="The app's code (slug).", pattern=SLUG_PATTERN
)
_ERRORS = {
    403: OpenApiResponse(description="Not the app's own token, or the token lacks the scope."),
    409: OpenApiResponse(description="The id was used before with a different body."),
    429: OpenApiResponse(description="The app called too often; retry after the Retry-After header."),
}


class NotificationCreate(InboundView):
    """Put a notice in an employee's inbox, linking back into the app (scope ``notifications:write``)."""

    required_scope = scopes.NOTIFICATIONS_WRITE
    endpoint = inbound.NOTIFICATIONS
    input_serializer = NotificationInSerializer

    @extend_schema(
        operation_id="apps_notification_create",
        parameters=[_APP_PARAMETER],
        request=NotificationInSerializer,
        responses={201: AcceptedSerializer, **_ERRORS},
        tags=["apps"],
    )
    def post(self, request, app: str):
        return super().post(request, app)

    def perform(self, *, app, employee, key, data):
        return inbound.app_notification_send(
            app=app, user=employee, key=key, title=data["title"], body=data["body"], url=data["url"]
        )


class BadgeSet(InboundView):
    """Set the number on the app's own tile on an employee's home screen (scope ``badges:write``)."""

    required_scope = scopes.BADGES_WRITE
    endpoint = inbound.BADGES
    input_serializer = BadgeInSerializer

    @extend_schema(
        operation_id="apps_badge_set",
        parameters=[_APP_PARAMETER],
        request=BadgeInSerializer,
        responses={200: BadgeOutSerializer, **_ERRORS},
        tags=["apps"],
    )
    def post(self, request, app: str):
        return super().post(request, app)

    def perform(self, *, app, employee, key, data):
        return inbound.app_badge_set(app=app, user=employee, key=key, count=data["count"])


class ActivityCreate(InboundView):
    """Record an e-Kinerja activity for an employee (scope ``kinerja:write``); it appears in their
    activity log shortly after (202)."""

    required_scope = scopes.KINERJA_WRITE
    endpoint = inbound.ACTIVITIES
    input_serializer = ActivityInSerializer

    @extend_schema(
        operation_id="apps_activity_create",
        parameters=[_APP_PARAMETER],
        request=ActivityInSerializer,
        responses={202: AcceptedSerializer, **_ERRORS},
        tags=["apps"],
    )
    def post(self, request, app: str):
        return super().post(request, app)

    def perform(self, *, app, employee, key, data):
        return inbound.app_activity_record(
            app=app,
            user=employee,
            key=key,
            title=data["title"],
            date=data["date"],
            quantity=data["quantity"],
            output_unit=data["output_unit"],
            description=data["description"],
            url=data["url"],
        )
