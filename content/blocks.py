"""StreamField blocks of a lesson: text, video, document and a quiz with a pass mark."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

_YOUTUBE = re.compile(r"(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([A-Za-z0-9_-]{6,})")
_VIMEO = re.compile(r"vimeo\.com/(?:video/)?(\d+)")
_VIDEO_FILE = re.compile(r"\.(mp4|webm|ogg|ogv)(\?.*)?$", re.IGNORECASE)


def video_embed_url(url: str) -> tuple[str, str]:
    """('iframe', src) for YouTube/Vimeo, ('file', url) for a video file; computed without a network call."""
    if m := _YOUTUBE.search(url):
        return "iframe", f"https://www.youtube-nocookie.com/embed/{m.group(1)}"
    if m := _VIMEO.search(url):
        return "iframe", f"https://player.vimeo.com/video/{m.group(1)}"
    return "file", url


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Alamat video"), help_text=_("Tautan YouTube, Vimeo, atau berkas .mp4/.webm."))
    caption = blocks.CharBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        url = value.get("url") or ""
        if not (_YOUTUBE.search(url) or _VIMEO.search(url) or _VIDEO_FILE.search(url)):
            raise StructBlockValidationError(
                {"url": ValidationError(_("Gunakan tautan YouTube, Vimeo, atau berkas video .mp4/.webm/.ogg."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind"], context["src"] = video_embed_url(value["url"])
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokumen"))
    title = blocks.CharBlock(label=_("Judul tampilan"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokumen")
        template = "blocks/document_block.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Pilihan"))
    correct = blocks.BooleanBlock(label=_("Jawaban benar"), required=False)

    class Meta:
        icon = "radio-full"


class QuestionValue(blocks.StructValue):
    @property
    def multiple(self) -> bool:
        """Several correct choices: the learner ticks all of them (checkboxes)."""
        return sum(1 for choice in self["choices"] if choice["correct"]) > 1


class QuestionBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=_("Pertanyaan"))
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=_("Pilihan jawaban"))

    class Meta:
        icon = "help"
        value_class = QuestionValue

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise StructBlockValidationError(
                {"choices": ValidationError(_("Tandai setidaknya satu pilihan sebagai jawaban benar."))}
            )
        return value


class QuizBlock(blocks.StructBlock):
    """A short quiz graded on the server. A question with several correct choices needs all of them."""

    title = blocks.CharBlock(label=_("Judul kuis"), default=_("Kuis"))
    pass_mark = blocks.IntegerBlock(
        label=_("Nilai lulus (%)"),
        min_value=0,
        max_value=100,
        default=70,
        help_text=_("Persentase jawaban benar untuk lulus."),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Pertanyaan"))

    class Meta:
        icon = "tasks"
        label = _("Kuis")
        template = "blocks/quiz_block.html"


class H5PBlock(blocks.StructBlock):
    """Interactive H5P content played in a sandboxed frame; its xAPI statements drive lesson completion."""

    content = SnippetChooserBlock("h5p.H5PContent", label=_("Konten H5P"))
    required = blocks.BooleanBlock(
        label=_("Wajib dikerjakan"),
        required=False,
        default=True,
        help_text=_("Untuk konten bernilai: pelajaran selesai setelah peserta mengerjakannya sampai nilai lulus."),
    )
    pass_mark = blocks.IntegerBlock(
        label=_("Nilai lulus (%)"), min_value=0, max_value=100, default=0, help_text=_("0: cukup dikerjakan.")
    )

    class Meta:
        icon = "code"
        label = _("Konten interaktif H5P")
        template = "blocks/h5p_block.html"


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Teks"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "image"],
        template="blocks/text_block.html",
    )
    video = VideoBlock()
    document = DocumentBlock()
    quiz = QuizBlock()
    h5p = H5PBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}}


def quiz_field_name(question_index: int) -> str:
    return f"q{question_index}"
