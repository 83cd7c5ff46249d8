"""The report as a Word document (python-docx): Heading 1 / Heading 2, paragraphs, and the
figures' sources as numbered notes in a closing "Sources" part (python-docx has no footnote API);
each figure carries its note number as a superscript, as in the PDF."""

import io

from docx import Document
from docx.document import Document as DocxDocument

from .report_document import FigureCall, Paragraph, ReportDocument


def _paragraph(docx: DocxDocument, paragraph: Paragraph) -> None:
    written = docx.add_paragraph()
    for run in paragraph:
        if isinstance(run, FigureCall):
            written.add_run(run.text).bold = True
            written.add_run(str(run.note)).font.superscript = True
        else:
            written.add_run(run.text)


def report_docx(document: ReportDocument) -> bytes:
    headings = document.headings
    docx = Document()
    docx.core_properties.title = document.title
    docx.core_properties.language = document.language
    docx.add_heading(document.title, level=0)
    if document.summary:
        docx.add_heading(headings.summary, level=1)
        for text in document.summary:
            docx.add_paragraph(text)
    if document.members:
        docx.add_heading(headings.members, level=1)
        for member in document.members:
            docx.add_paragraph(member, style="List Bullet")
    for index, section in enumerate(document.sections, start=1):
        docx.add_heading(f"{index}. {section.title}", level=1)
        if section.observations:
            docx.add_heading(headings.observations, level=2)
            for paragraph in section.observations:
                _paragraph(docx, paragraph)
        if section.violations:
            docx.add_heading(headings.violations, level=2)
            for text in section.violations:
                docx.add_paragraph(text)
        if section.recommendations:
            docx.add_heading(headings.recommendations, level=2)
            for entry in section.recommendations:
                item = docx.add_paragraph(style="List Bullet")
                item.add_run(entry.reference).bold = True
                if entry.text:
                    item.add_run(f": {entry.text}")
        if section.questions:
            docx.add_heading(headings.questions, level=2)
            for text in section.questions:
                docx.add_paragraph(text, style="List Number")
    if document.annexes:
        docx.add_heading(headings.annexes, level=1)
        for text in document.annexes:
            docx.add_paragraph(text)
    if document.footnotes:
        docx.add_heading(headings.sources, level=1)
        for note in document.footnotes:
            # Numbered by hand: Word's list numbering would not match the superscript calls.
            docx.add_paragraph(f"{note.number}. {note.text}")
    output = io.BytesIO()
    docx.save(output)
    return output.getvalue()
