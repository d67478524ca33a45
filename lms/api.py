"""The LMS's endpoints for the mobile app (mounted by the shell at /api/lms/): my enrolments and the
year's JP progress. Reads go through lms selectors; a user only ever sees their own records here."""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shell.api.serializers import validated_query, year_field

from .hours.pace import compliance_status, year_elapsed
from .hours.selectors import current_year, jakarta_date
from .models import Enrollment
from .selectors import enrollments_for, year_progress


class EnrollmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title")
    course_url = serializers.CharField(source="course.url")
    jp = serializers.DecimalField(source="course.jp", max_digits=6, decimal_places=2)
    completed = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "course_title",
            "course_url",
            "jp",
            "source",
            "due_date",
            "enrolled_at",
            "completed_at",
            "completed",
        ]

    def get_completed(self, obj) -> bool:
        return obj.completed_at is not None


class ProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total_jp = serializers.DecimalField(max_digits=8, decimal_places=2)
    target_jp = serializers.DecimalField(max_digits=8, decimal_places=2)
    percent = serializers.IntegerField()
    met = serializers.BooleanField()
    pace = serializers.CharField(help_text="met / on_track / at_risk / behind")


class ProgressQuerySerializer(serializers.Serializer):
    year = year_field(help_text="Tahun (default: tahun berjalan, Asia/Jakarta)")


class MyEnrollments(generics.ListAPIView):
    """The signed-in employee's enrolments, unfinished first."""

    serializer_class = EnrollmentSerializer

    def get_queryset(self):
        return enrollments_for(user=self.request.user)


class MyProgress(APIView):
    """The signed-in employee's verified JP for a year against their target."""

    @extend_schema(parameters=[ProgressQuerySerializer], responses=ProgressSerializer)
    def get(self, request):
        year = validated_query(ProgressQuerySerializer, request).get("year") or current_year()
        progress = year_progress(user=request.user, year=year)
        data = {
            "year": progress.year,
            "total_jp": progress.total,
            "target_jp": progress.target,
            "percent": progress.percent,
            "met": progress.met,
            "pace": compliance_status(
                float(progress.total),
                float(progress.target),
                elapsed=year_elapsed(on=jakarta_date(timezone.now()), year=progress.year),
            ),
        }
        return Response(ProgressSerializer(data).data)


# Mounted by the shell at /api/lms/ (lms/shell_hooks.py, "api_urls").
urlpatterns = [
    path("enrollments/", MyEnrollments.as_view(), name="enrollments"),
    path("progress/", MyProgress.as_view(), name="progress"),
]
