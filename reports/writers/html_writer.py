"""HTML: the compte rendu as one printable page (charts embedded, no external file, A4 print CSS).
Every card text is escaped."""

import base64
from html import escape

from reports.writers.docx_writer import outline

STYLE = """
body { font-family: "DejaVu Sans", Calibri, Arial, sans-serif; color: #1a1a1a; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { color: #1f4e9c; border-bottom: 1px solid #1f4e9c; }
h2 { color: #1f4e9c; margin-top: 2rem; } h3 { color: #2f5fa8; margin-bottom: .3rem; }
.subtitle { color: #4a4a4a; } img { max-width: 100%; height: auto; display: block; margin: 1rem auto; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { border: 1px solid #b0b8c8; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { background: #e8eef8; } td.n { text-align: right; width: 6rem; }
table.plan td { font-size: .92rem; } table.plan td:first-child { width: 27%; }
@media screen and (max-width: 40rem) {  /* a phone: each action a block, each field under its label */
  table.plan thead { position: absolute; left: -9999px; }
  table.plan, table.plan tbody, table.plan tr, table.plan td { display: block; width: auto; }
  table.plan tr { border: 1px solid #b0b8c8; margin-bottom: .8rem; }
  table.plan td { border: 0; border-top: 1px solid #e0e5ee; }
  table.plan td:first-child { width: auto; border-top: 0; background: #e8eef8; }
  table.plan td[data-label]::before { content: attr(data-label); display: block; font-weight: bold; color: #2f5fa8; }
}
@page { size: A4; margin: 18mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } img, tr { break-inside: avoid; } }
"""


def plan_table(header, rows) -> str:
    """An axis of the « Plan d'action »: one row an action, each cell its lines, the title in bold."""
    out = ['<table class="plan"><thead><tr>' + "".join(f'<th scope="col">{escape(h)}</th>' for h in header)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        cells = []
        for c, lines in enumerate(row):
            shown = [escape(line) for line in lines]
            if c == 0 and shown:
                shown[0] = f"<strong>{shown[0]}</strong>"
            label = "" if c == 0 else f' data-label="{escape(header[c], quote=True)}"'  # its name on a phone
            cells.append(f"<td{label}>{'<br>'.join(shown)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render(summary) -> str:
    w = summary.workshop
    words = summary.wording
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{words.language}"><head><meta charset="utf-8">',
        f"<title>{escape(words('report_title', title=w['title']))}</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    in_list = False
    alts = words("chart_alt")  # the image's text for a screen reader
    names = {data: alts.get(name, words("chart")) for name, data in summary.chart_png().items()}
    for kind, payload in outline(summary):
        if kind != "bullet" and in_list:
            parts.append("</ul>")
            in_list = False
        if kind == "title":
            parts.append(f"<h1>{escape(payload)}</h1>")
        elif kind == "subtitle":
            parts.append(f'<p class="subtitle">{escape(payload)}</p>')
        elif kind == "h1":
            parts.append(f"<h2>{escape(payload)}</h2>")
        elif kind == "h2":
            parts.append(f"<h3>{escape(payload)}</h3>")
        elif kind in ("p", "after"):
            parts.append(f"<p>{escape(payload)}</p>")
        elif kind == "bullet":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{escape(payload)}</li>")
        elif kind == "chart":
            data = base64.b64encode(payload).decode()
            alt = escape(names.get(payload, words("chart")), quote=True)
            parts.append(f'<img alt="{alt}" src="data:image/png;base64,{data}">')
        elif kind == "table":
            header, rows = payload
            if not rows:
                continue
            parts.append(
                "<table><thead><tr>"
                + "".join(f"<th>{escape(h)}</th>" for h in header)
                + "</tr></thead><tbody>"
            )
            for row in rows:
                cells = [f"<td>{escape(row[0])}</td>", f"<td>{escape(row[1])}</td>"]
                cells += [f'<td class="n">{escape(number)}</td>' for number in row[2:]]
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</tbody></table>")
        elif kind == "plan_table":
            parts.append(plan_table(*payload))
    if in_list:
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write(summary, path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(render(summary))
