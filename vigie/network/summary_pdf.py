"""The continuity summary as a PDF, for the recipient of a transfer or a partner abroad."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .pdf import pdf_render
from .summary import continuity_summary_build

if TYPE_CHECKING:
    from .models import Transfer


# A partner abroad reads French or English (Collective 2022 §I: transnational protocol).
BILINGUAL_LANGUAGES = ("fr", "en")
SUMMARY_PART_TEMPLATE = "network/transfers/_summary.html"
SUMMARY_PDF_TEMPLATE = "network/transfers/summary_pdf.html"
SUMMARY_TITLE = gettext_noop("Continuity summary")
CONFIDENTIAL_NOTICE = gettext_noop("Confidential — shared professional secrecy")


@dataclass(frozen=True)
class SummaryPart:
    language: str
    html: str


def _both(message: str) -> str:
    """``message`` in French and English side by side (once if not translated yet)."""
    texts = []
    for language in BILINGUAL_LANGUAGES:
        with translation.override(language):
            text = _(message)
        if text not in texts:
            texts.append(text)
    return " / ".join(texts)


def _part(transfer: "Transfer", today: date, language: str) -> SummaryPart:
    with translation.override(language):
        summary = continuity_summary_build(case=transfer.case, today=today)
        html = render_to_string(
            SUMMARY_PART_TEMPLATE, {"summary": summary, "transfer": transfer, "in_pdf": True}
        )
    return SummaryPart(language=language, html=html)


def continuity_summary_pdf(*, transfer: "Transfer", today: date) -> bytes:
    """The summary of ``transfer.case`` (loaded and audited by transfer_summary_for_user) as a
    PDF: French and English one after the other for a partner abroad, each heading in its
    language and the document's title and footer in both; the reader's language otherwise."""
    from .models import TransferDestination

    if transfer.destination == TransferDestination.ABROAD:
        languages: tuple[str, ...] = BILINGUAL_LANGUAGES
        title = _both(SUMMARY_TITLE)
        notice = _both(CONFIDENTIAL_NOTICE)
    else:
        languages = (translation.get_language() or "fr",)
        title = _(SUMMARY_TITLE)
        notice = _(CONFIDENTIAL_NOTICE)
    parts = [_part(transfer, today, language) for language in languages]
    context = {
        "transfer": transfer,
        "title": title,
        "notice": notice,
        "footer_reference": transfer.case.reference,
        "language": languages[0],
        "parts": parts,
        "bilingual": len(parts) > 1,
    }
    return pdf_render(template_name=SUMMARY_PDF_TEMPLATE, context=context)
