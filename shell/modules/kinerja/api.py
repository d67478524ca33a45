"""e-Kinerja's API (mounted at /api/kinerja/): my activity log, the supervisor's queue, reviews, my SKP."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from shell.api.serializers import validated_query, year_field

from . import selectors, services
from .models import Activity, Evidence, Skp, SkpIndicator, SkpResult


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="href")

    class Meta:
        model = Evidence
        fields = ["kind", "label", "url"]


class ActivitySerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    employee = serializers.CharField(source="user.display_name", read_only=True)
    automatic = serializers.BooleanField(source="is_automatic", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "employee",
            "date",
            "title",
            "description",
            "kind",
            "result",
            "quantity",
            "output_unit",
            "jp",
            "status",
            "review_note",
            "reviewed_at",
            "automatic",
            "evidence",
        ]
        read_only_fields = ["kind", "jp", "status", "review_note", "reviewed_at"]


class ActivityCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    quantity = serializers.DecimalField(max_digits=10, decimal_places=2, default=1)
    # blank is the default unit (activity_create), as an empty form field already was
    output_unit = serializers.CharField(max_length=50, allow_blank=True, default="kegiatan")
    result = serializers.IntegerField(required=False, allow_null=True, default=None)
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = SkpIndicator
        fields = ["text", "aspect", "target", "unit"]


class ResultSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True)
    parent = serializers.CharField(source="parent.text", default=None, allow_null=True)

    class Meta:
        model = SkpResult
        fields = ["id", "text", "parent", "indicators"]


class SkpSerializer(serializers.ModelSerializer):
    # null when the employee has no SKP for the year yet
    status = serializers.ChoiceField(choices=Skp.Status.choices, allow_null=True)
    results = ResultSerializer(many=True)

    class Meta:
        model = Skp
        fields = ["year", "status", "approved_at", "results"]


class MyActivities(generics.ListAPIView):
    """My activity log, newest first; POST logs a day's work (it then waits for the supervisor)."""

    serializer_class = ActivitySerializer

    def get_queryset(self):
        return selectors.activities_of(user=self.request.user)

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer})
    def post(self, request):
        data = ActivityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        result_id = v.pop("result")
        result = None
        if result_id:
            result = selectors.results_for_activity(user=request.user, year=v["date"].year).filter(pk=result_id).first()
            if result is None:
                raise ValidationError({"result": ["Rencana hasil kerja tidak ditemukan di SKP Anda tahun itu."]})
        activity = services.activity_create(user=request.user, result=result, **v)
        return Response(ActivitySerializer(activity).data, status=201)


class TeamQueue(generics.ListAPIView):
    """Activities of my direct team waiting for my approval."""

    serializer_class = ActivitySerializer

    def get_queryset(self):
        return selectors.activities_to_review(reviewer=self.request.user)


class ActivityReview(APIView):
    @extend_schema(request=ReviewSerializer, responses={200: ActivitySerializer})
    def post(self, request, pk: int):
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            activity = services.activity_review(
                activity_id=pk,
                reviewer=request.user,
                approve=data.validated_data["approve"],
                note=data.validated_data["note"],
            )
        except Activity.DoesNotExist as exc:
            raise Http404 from exc
        except DjangoPermissionDenied as exc:
            raise Http404 from exc  # someone else's team: as if it did not exist
        return Response(ActivitySerializer(activity).data)


class SkpQuerySerializer(serializers.Serializer):
    year = year_field(help_text="Tahun (default: tahun berjalan)")


class MySkp(APIView):
    @extend_schema(parameters=[SkpQuerySerializer], responses=SkpSerializer)
    def get(self, request):
        year = validated_query(SkpQuerySerializer, request).get("year") or timezone.localdate().year
        skp = selectors.skp_for(user=request.user, year=year)
        if skp is None:
            return Response({"year": year, "status": None, "approved_at": None, "results": []})
        return Response(SkpSerializer(skp).data)


urlpatterns = [
    path("activities/", MyActivities.as_view(), name="activities"),
    path("activities/<int:pk>/review/", ActivityReview.as_view(), name="activity_review"),
    path("approvals/", TeamQueue.as_view(), name="approvals"),
    path("skp/", MySkp.as_view(), name="skp"),
]
