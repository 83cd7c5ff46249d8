"""The report as Markdown, figures' sources as ``[^n]`` footnotes (GitHub / Pandoc syntax)."""

from .report_document import FigureCall, Paragraph, ReportDocument


def _paragraph(paragraph: Paragraph) -> str:
    return "".join(
        f"**{run.text}**[^{run.note}]" if isinstance(run, FigureCall) else run.text
        for run in paragraph
    )


def report_markdown(document: ReportDocument) -> str:
    headings = document.headings
    lines: list[str] = [f"# {document.title}", ""]
    if document.summary:
        lines += [f"## {headings.summary}", ""]
        for text in document.summary:
            lines += [text, ""]
    if document.members:
        lines += [f"## {headings.members}", ""]
        lines += [f"- {member}" for member in document.members]
        lines.append("")
    for index, section in enumerate(document.sections, start=1):
        lines += [f"## {index}. {section.title}", ""]
        if section.observations:
            lines += [f"### {headings.observations}", ""]
            for paragraph in section.observations:
                lines += [_paragraph(paragraph), ""]
        if section.violations:
            lines += [f"### {headings.violations}", ""]
            for text in section.violations:
                lines += [text, ""]
        if section.recommendations:
            lines += [f"### {headings.recommendations}", ""]
            lines += [
                f"- **{entry.reference}**" + (f": {entry.text}" if entry.text else "")
                for entry in section.recommendations
            ]
            lines.append("")
        if section.questions:
            lines += [f"### {headings.questions}", ""]
            lines += [f"{number}. {text}" for number, text in enumerate(section.questions, 1)]
            lines.append("")
    if document.annexes:
        lines += [f"## {headings.annexes}", ""]
        for text in document.annexes:
            lines += [text, ""]
    if document.footnotes:
        lines += [f"## {headings.sources}", ""]
        lines += [f"[^{note.number}]: {note.text}" for note in document.footnotes]
        lines.append("")
    return "\n".join(lines)
