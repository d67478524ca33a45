"""The service module's API (mounted at /api/layanan/): the catalogue, requests registered by another
app or the mobile app, status changes and assignment, and the public status lookup."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shell.api.serializers import validated_query

from . import selectors, services
from .models import RequestTransition, ServiceRequest, ServiceType
from .services import IllegalTransition


class HandlesRequests(BasePermission):
    """Reading needs a login; registering needs the service officer's permission."""

    message = gettext_lazy("Hanya petugas layanan yang dapat melakukan ini.")  # read per request, not at import

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or request.user.has_perm(selectors.PERM_HANDLE)


class ServiceTypeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    requirements = serializers.ListField(source="requirement_list", child=serializers.CharField())

    class Meta:
        model = ServiceType
        fields = [
            "id",
            "code",
            "name",
            "category",
            "requirements",
            "procedure",
            "sla_days",
            "fee",
            "product",
            "unit",
            "is_complaint",
        ]


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None, allow_null=True)

    class Meta:
        model = RequestTransition
        fields = ["from_status", "to_status", "actor", "at", "note"]


class RequestSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")
    unit = serializers.CharField(source="unit.name")
    assignee = serializers.CharField(source="assignee.display_name", default=None, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = [
            "number",
            "service",
            "service_name",
            "status",
            "citizen_nik",
            "citizen_name",
            "citizen_contact",
            "description",
            "channel",
            "unit",
            "assignee",
            "submitted_at",
            "due_date",
            "closed_at",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return selectors.request_is_overdue(request=obj)


class RequestDetailSerializer(RequestSerializer):
    transitions = TransitionSerializer(many=True)

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "transitions"]


class ServiceCodeField(serializers.SlugRelatedField):
    """An active service by its code. A code with a NUL is "not found" without a query: PostgreSQL
    cannot even compare such text (the query would fail)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class RegisterSerializer(serializers.Serializer):
    service = ServiceCodeField(slug_field="code", queryset=ServiceType.objects.filter(active=True))
    citizen_nik = serializers.CharField(max_length=16)
    citizen_name = serializers.CharField(max_length=200)
    citizen_contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    external_ref = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="Your own id of the request: a retried POST with the same value registers once.",
    )


class TransitionRequestSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ServiceRequest.Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ServiceRequest.Status.choices, required=False)
    mine = serializers.BooleanField(required=False, help_text="Assigned to me.")
    overdue = serializers.BooleanField(required=False, help_text="Past the SLA due date.")


class AssignRequestSerializer(serializers.Serializer):
    assignee_id = serializers.IntegerField()


class PublicStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    service = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_on = serializers.DateField()
    due_date = serializers.DateField()
    updated_on = serializers.DateField()
    closed = serializers.BooleanField()


class ServiceList(generics.ListAPIView):
    """The catalogue of public services: requirements, SLA in working days, fee."""

    serializer_class = ServiceTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.services_active()


class RequestListCreate(generics.ListAPIView):
    """Requests the user may see (their unit's for an officer); POST registers one for a citizen."""

    serializer_class = RequestSerializer
    permission_classes = [HandlesRequests]

    @extend_schema(parameters=[RequestFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = validated_query(RequestFilterSerializer, self.request)
        return selectors.request_filter(
            qs=selectors.requests_visible_to(user=self.request.user),
            status=query.get("status", ""),
            mine=query.get("mine", False),
            overdue=query.get("overdue", False),
            user=self.request.user,
        ).order_by("due_date", "-submitted_at")

    @extend_schema(request=RegisterSerializer, responses={201: RequestSerializer, 200: RequestSerializer})
    def post(self, request):
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        item, created = services.request_register(
            service=v["service"],
            citizen_nik=v["citizen_nik"],
            citizen_name=v["citizen_name"],
            citizen_contact=v["citizen_contact"],
            description=v["description"],
            registered_by=request.user,
            channel=ServiceRequest.Channel.API,
            external_ref=v["external_ref"] or request.headers.get("Idempotency-Key") or None,
        )
        return Response(RequestSerializer(item).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def _visible(request, number: str) -> ServiceRequest:
    item = selectors.request_for(user=request.user, number=number)
    if item is None:
        raise Http404
    return item


class RequestDetail(APIView):
    @extend_schema(responses=RequestDetailSerializer)
    def get(self, request, number: str):
        return Response(RequestDetailSerializer(_visible(request, number)).data)


class RequestTransitionView(APIView):
    """Change the status. An illegal transition is a 409 whose ``detail`` says what is allowed."""

    @extend_schema(
        request=TransitionRequestSerializer,
        responses={
            200: RequestDetailSerializer,
            409: OpenApiResponse(description="Not allowed from the current status; ``detail`` says what is."),
        },
    )
    def post(self, request, number: str):
        item = _visible(request, number)
        data = TransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.check_request_transition(
                request_id=item.pk,
                actor=request.user,
                to_status=data.validated_data["to_status"],
                note=data.validated_data["note"],
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except IllegalTransition as exc:
            return Response(
                {"detail": " ".join(exc.messages), "code": "illegal_transition"}, status=status.HTTP_409_CONFLICT
            )
        item.refresh_from_db()
        return Response(RequestDetailSerializer(item).data)


class RequestAssignView(APIView):
    @extend_schema(
        request=AssignRequestSerializer,
        responses={
            200: RequestSerializer,
            409: OpenApiResponse(description="The request is closed; ``detail`` says why."),
        },
    )
    def post(self, request, number: str):
        item = _visible(request, number)
        data = AssignRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignee = get_user_model().objects.filter(pk=data.validated_data["assignee_id"]).first()
        if assignee is None:
            raise ValidationError({"assignee_id": _("Pegawai tidak ditemukan.")})
        try:
            services.request_assign(request_id=item.pk, actor=request.user, assignee=assignee)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except IllegalTransition as exc:
            return Response(
                {"detail": " ".join(exc.messages), "code": "illegal_transition"}, status=status.HTTP_409_CONFLICT
            )
        item.refresh_from_db()
        return Response(RequestSerializer(item).data)


class PublicStatus(APIView):
    """For citizens' apps, no login: the status by request number, nothing personal."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: PublicStatusSerializer, 404: OpenApiResponse(description="No such request.")})
    def get(self, request, number: str):
        result = selectors.public_status(number=number)
        if result is None:
            return Response({"detail": _("Nomor permohonan tidak ditemukan.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(PublicStatusSerializer(result).data)


class RequestNumberConverter(StringConverter):
    """A request number in a path: any text but a NUL, which no number holds (and PostgreSQL cannot
    compare: the query would fail). A path with one names no URL, a 404."""

    regex = r"[^/\x00]+"


register_converter(RequestNumberConverter, "request_number")

urlpatterns = [
    path("services/", ServiceList.as_view(), name="services"),
    path("requests/", RequestListCreate.as_view(), name="requests"),
    path("requests/<request_number:number>/", RequestDetail.as_view(), name="request"),
    path("requests/<request_number:number>/transition/", RequestTransitionView.as_view(), name="request_transition"),
    path("requests/<request_number:number>/assign/", RequestAssignView.as_view(), name="request_assign"),
    path("status/<request_number:number>/", PublicStatus.as_view(), name="public_status"),
]
