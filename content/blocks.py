"""StreamField blocks of a lesson: text, video (an uploaded file or an allowed embed), document, a quiz with a
pass mark, and H5P content."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailmedia.blocks import VideoChooserBlock

from .video import Embed, clock_seconds, embed_for, embed_hosts, provider_of


class VideoValue(blocks.StructValue):
    """What the lesson page and the watch tracking need to know of one video block."""

    @property
    def embed(self) -> Embed | None:
        return embed_for(self["url"]) if self.get("url") and not self.get("media") else None

    @property
    def seconds(self) -> float | None:
        """The video's duration as the platform knows it: read from the uploaded file, or as the trainer gave it
        for an embedded player. Never the player's own report."""
        media = self.get("media")
        if media is not None and media.duration:
            return float(media.duration)
        seconds = clock_seconds(self.get("duration") or "")
        return float(seconds) if seconds else None

    @property
    def trackable(self) -> bool:
        """The platform can tell how much of it a learner watched: an uploaded file, or a YouTube or Vimeo
        player (they report through their own scripts), whose duration is known."""
        if self.seconds is None:
            return False
        embed = self.embed
        return self.get("media") is not None or (embed is not None and embed.trackable)

    @property
    def gates(self) -> bool:
        """The lesson is done only once this video was watched (the "mark as done" button does not do it)."""
        return bool(self.get("required")) and self.trackable


class VideoBlock(blocks.StructBlock):
    """A video played on the lesson page: a file uploaded in the CMS (played by the platform itself) or an
    embedded player from a host the admin allows (settings.VIDEO_EMBED_HOSTS)."""

    media = VideoChooserBlock(
        label=_("Berkas video"), required=False, help_text=_("Video yang diunggah ke pustaka Media (MP4 atau WebM).")
    )
    url = blocks.URLBlock(
        label=_("Atau tautan video"),
        required=False,
        help_text=_("Tautan YouTube atau Vimeo (atau host lain yang diizinkan admin)."),
    )
    duration = blocks.CharBlock(
        label=_("Durasi (menit:detik)"),
        required=False,
        max_length=10,
        help_text=_(
            "Untuk tautan YouTube/Vimeo yang wajib ditonton, mis. 5:30. Durasi berkas yang diunggah dibaca dari berkasnya."
        ),
    )
    caption = blocks.CharBlock(label=_("Keterangan"), required=False)
    required = blocks.BooleanBlock(
        label=_("Wajib ditonton"),
        required=False,
        default=True,
        help_text=_(
            "Pelajaran selesai setelah peserta menonton sebagian besar video ini (tidak dengan tombol selesai)."
        ),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video_block.html"
        value_class = VideoValue

    def clean(self, value):
        value = super().clean(value)
        media, url = value.get("media"), (value.get("url") or "").strip()
        errors = {}
        if bool(media) == bool(url):
            errors["url"] = ValidationError(
                _("Pilih berkas video yang diunggah, atau isi tautan video: salah satu saja.")
            )
        elif url and value.embed is None:
            errors["url"] = ValidationError(_refusal(url))
        if value.get("duration") and clock_seconds(value["duration"]) is None:
            errors["duration"] = ValidationError(
                _("Tulis durasi sebagai menit:detik, mis. 5:30 (atau jam:menit:detik).")
            )
        elif not errors and value.get("required") and not value.trackable:
            embed = value.embed
            if media is not None:
                errors["media"] = ValidationError(
                    _("Durasi berkas ini belum diketahui; isi durasinya di pustaka Media, atau isi kolom durasi.")
                )
            elif embed is not None and embed.trackable:
                errors["duration"] = ValidationError(
                    _("Isi durasi video (mis. 5:30) agar platform dapat memeriksa bahwa peserta menontonnya.")
                )
            else:
                errors["required"] = ValidationError(
                    _(
                        'Tontonan video dari %(host)s tidak dapat dilacak: hapus centang "Wajib ditonton", atau unggah berkasnya.'
                    )
                    % {"host": embed.host if embed else url}
                )
        if errors:
            raise StructBlockValidationError(errors)
        return value


def _refusal(url: str) -> str:
    provider = provider_of(url)
    if provider is not None:
        return _(
            "Video %(provider)s tidak diizinkan admin di platform ini (host yang diizinkan: %(hosts)s). "
            "Unggah berkas videonya, atau minta admin mengizinkannya."
        ) % {"provider": {"youtube": "YouTube", "vimeo": "Vimeo"}[provider], "hosts": ", ".join(embed_hosts()) or "-"}
    host = urlsplit(url).hostname or url
    return _(
        "Video dari %(host)s tidak dapat diputar di sini: gunakan tautan YouTube, Vimeo, atau host lain yang "
        "diizinkan admin (%(hosts)s), atau unggah berkas videonya."
    ) % {"host": host, "hosts": ", ".join(embed_hosts()) or "-"}


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
    # A quiz of the course's question bank (lms.evaluation), drawn afresh for each attempt. The questions
    # typed here (lessons written before the bank) are used only when no bank quiz is named.
    bank_quiz = blocks.IntegerBlock(
        label=_("Nomor kuis bank soal"),
        required=False,
        min_value=1,
        help_text=_("Nomor kuis dari halaman Bank soal kursus ini. Kosongkan untuk memakai pertanyaan di bawah."),
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=0, label=_("Pertanyaan"))

    class Meta:
        icon = "tasks"
        label = _("Kuis")
        template = "blocks/quiz_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("bank_quiz") and not value["questions"]:
            raise StructBlockValidationError(
                {"questions": ValidationError(_("Isi nomor kuis bank soal, atau tulis setidaknya satu pertanyaan."))}
            )
        return value


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
