"""The Wagtail admin for H5P: upload, list, preview with results, replace, delete when unused; the
chooser the lesson's H5P block uses comes with the snippet registration."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from .forms import H5PContentForm
from .models import H5PContent
from .selectors import h5p_content_in_use, h5p_content_usage
from .services import h5p_content_delete
from .validation import PackageError
from .views import player_url


class H5PDeleteView(DeleteView):
    """Content a lesson still chooses is not deleted: the trainer is told where it is used."""

    def form_valid(self, form):
        try:
            h5p_content_delete(content=self.object)
        except PackageError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(reverse("h5p_admin_preview", args=[self.object.pk]))
        messages.success(self.request, _("Konten H5P '%(title)s' dihapus.") % {"title": self.object.title})
        return redirect(self.get_success_url())


class H5PCreateView(CreateView):
    # Wagtail's "%(model_name)s '%(object)s' created." has no Indonesian: the trainer reads ours.
    success_message = gettext_lazy("Konten H5P '%(object)s' ditambahkan.")
    error_message = gettext_lazy("Konten H5P belum dapat ditambahkan: perbaiki isian yang ditandai.")

    def get_success_message(self, instance=None):  # Wagtail's mixin ignores success_message
        return self.success_message % {"object": instance or self.object}


class H5PEditView(EditView):
    success_message = gettext_lazy("Konten H5P '%(object)s' disimpan.")
    error_message = gettext_lazy("Konten H5P belum dapat disimpan: perbaiki isian yang ditandai.")

    def get_success_message(self, instance=None):
        return self.success_message % {"object": instance or self.object}


class PreviewColumn(Column):
    cell_template_name = "h5p/admin/preview_cell.html"


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    icon = "code"
    menu_label = gettext_lazy("Konten H5P")
    menu_name = "h5p"
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = H5PCreateView
    edit_view_class = H5PEditView
    delete_view_class = H5PDeleteView
    list_display = [
        "title",
        "main_library",
        "max_score",
        "updated_at",
        PreviewColumn("pk", label=gettext_lazy("Pratinjau & hasil")),
    ]
    search_fields = ["title"]
    edit_handler = ObjectList([FieldPanel("title"), FieldPanel("package")], base_form_class=H5PContentForm)


register_snippet(H5PContentViewSet)


def preview(request, pk: int):
    content = get_object_or_404(H5PContent, pk=pk)
    user = request.user
    if not any(user.has_perm(f"h5p.{action}_h5pcontent") for action in ("add", "change", "delete", "view")):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "h5p/admin/preview.html",
        {
            "content": content,
            "player_src": player_url(content=content, user=user),
            # Learners' results come from whoever tracks them (lms registers this hook), never from here.
            "results": next((fn(content) for fn in hooks.get_hooks("h5p_content_results")), None),
            "usage": h5p_content_usage(content=content),
            "in_use": h5p_content_in_use(content=content),
            "libraries": content.libraries.order_by("machine_name"),
            "edit_url": reverse("wagtailsnippets_h5p_h5pcontent:edit", args=[content.pk]),
            "delete_url": reverse("wagtailsnippets_h5p_h5pcontent:delete", args=[content.pk]),
        },
    )


@hooks.register("register_admin_urls")
def h5p_admin_urls():
    return [path("h5p/<int:pk>/pratinjau/", preview, name="h5p_admin_preview")]
