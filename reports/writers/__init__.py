"""One writer per format: `write(summary, path)`. `FORMATS` maps each format to its writer's module."""

import importlib
import re
import unicodedata

FORMATS = ("json", "csv", "xlsx", "docx", "pdf", "pptx", "html")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html; charset=utf-8",
}


def available() -> list[str]:
    """The formats whose writer exists in this version."""
    out = []
    for fmt in FORMATS:
        try:
            importlib.import_module(f"reports.writers.{fmt}_writer")
        except ModuleNotFoundError:
            continue
        out.append(fmt)
    return out


def write(summary, fmt: str, path, excel: bool = False) -> None:
    """`excel`: the CSV a spreadsheet opens (`csv_writer.write_excel`); the other formats ignore it."""
    module = importlib.import_module(f"reports.writers.{fmt}_writer")
    (module.write_excel if excel and fmt == "csv" else module.write)(summary, path)


def filename(summary, fmt: str) -> str:
    """`compte-rendu-assises-du-thermalisme-2026-11-23.docx` (`report-…` in English): the title and the
    workshop's date."""
    title = unicodedata.normalize("NFKD", summary.workshop["title"]).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "atelier"
    prefix = summary.wording("file_prefix")  # "report-…" in English
    return f"{prefix}-{slug}-{summary.workshop['created_at'][:10]}.{fmt}"
