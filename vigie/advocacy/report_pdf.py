"""The report as a PDF: A4, table of contents with page numbers, numbered notes giving each
figure's source (called by superscript links), page numbers.

Rendered by WeasyPrint from ``advocacy/reports/pdf.html`` through vigie/network/pdf.py, whose URL
fetcher allows only inline ``data:`` URLs: nothing typed into a report can make the server fetch.
"""

from django.utils import translation

from vigie.network.pdf import pdf_render

from .report_document import ReportDocument


def report_pdf(document: ReportDocument) -> bytes:
    with translation.override(document.language):
        return pdf_render(template_name="advocacy/reports/pdf.html", context={"doc": document})
