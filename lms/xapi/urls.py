from django.urls import path

from . import views, views_documents

app_name = "xapi"

urlpatterns = [
    path("statements", views.statements, name="statements"),
    path("about", views.about, name="about"),
    path("activities", views.activities, name="activities"),
    path("agents", views.agents, name="agents"),
    path("activities/state", views_documents.state, name="state"),
    path("activities/profile", views_documents.activity_profile, name="activity_profile"),
    path("agents/profile", views_documents.agent_profile, name="agent_profile"),
]
