"""PDF documents rendered from templates with WeasyPrint (A4, page numbers, confidential footer).

Rendering never reaches the network nor the disk: the CSS is inlined in the template and the
URL fetcher refuses everything but inline ``data:`` URLs, so a value typed into a file (an
``<img src>`` smuggled in a note would be escaped anyway) can never make the server fetch a URL.
"""

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# Inline data only (an embedded logo or font); http, https, file and the rest are refused.
ALLOWED_PROTOCOLS = frozenset({"data"})


def _url_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)


def pdf_from_html(html: str) -> bytes:
    """The PDF of a whole HTML document whose styles are inline."""
    document = HTML(string=html, base_url=None, url_fetcher=_url_fetcher())
    result = document.write_pdf()
    assert result is not None  # noqa: S101 (no target given: the bytes are returned)
    return result


def pdf_render(*, template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` with ``context`` (no request: nothing from a session leaks in)
    and return the PDF bytes. The template extends ``network/transfers/pdf_base.html`` for the page
    layout: A4, the page number, and a footer with ``footer_reference`` and the confidentiality
    notice."""
    return pdf_from_html(render_to_string(template_name, context))
