"""HTML for reports: executed notebook -> self-contained page, provenance, the index.

Every string that may come from a corpus or a workbook (names, parameters, errors, key
figures) is escaped with :func:`html.escape` before it enters a page. Report pages are
rendered with nbconvert's JupyterLab template extended by ``templates/report.html.j2``:
no script or stylesheet is fetched from the network; figures are inline PNG.

Examples
--------
>>> footer = provenance_html({"name": "<b>x</b>", "parameters": {"doc_id": "<script>"}})
>>> "<script>" in footer, "&lt;script&gt;" in footer
(False, True)
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from framelens.core.resources import TEMPLATES_DIR
from framelens.report.keyfigures import KEY_FIGURES_MIME

__all__ = [
    "atomic_write",
    "render_notebook_html",
    "provenance_html",
    "failure_banner_html",
    "index_html",
    "finding_text",
    "find_error",
    "key_figures_of",
    "strip_remote",
]

TEMPLATES = TEMPLATES_DIR
_REMOTE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*['\"]?(?:https?:)?//[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*['\"]?(?:https?:)?//[^>]*>",
    re.IGNORECASE,
)


def esc(value: Any) -> str:
    """``html.escape(str(value))`` (quotes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def atomic_write(path: str | Path, text: str) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder + ``os.replace``:
    a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def strip_remote(page: str) -> str:
    """Remove ``<script src=//…>`` and ``<link href=//…>`` tags pointing off this machine."""
    return _REMOTE.sub("", page)


# --------------------------------------------------------------------------- notebooks
def find_error(nb) -> tuple[int, dict] | None:
    """(index, error output) of the first cell with an error output, or None."""
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, out
    return None


def key_figures_of(nb) -> dict[str, Any]:
    """Key figures recorded with :func:`framelens.report.core.key_figures`, merged in order."""
    figs: dict[str, Any] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data") or {}
            if KEY_FIGURES_MIME in data:
                rec = data[KEY_FIGURES_MIME]
                if isinstance(rec, str):
                    try:
                        rec = json.loads(rec)
                    except json.JSONDecodeError:
                        continue
                if isinstance(rec, Mapping):
                    values = rec.get("figures", rec)
                    order = [k for k in rec.get("order", []) if k in values]
                    order += [k for k in values if k not in order]
                    figs.update((k, values[k]) for k in order)
    return figs


def render_notebook_html(
    nb, *, title: str, with_code: bool = False, banner: str = "", footer: str = ""
) -> str:
    """A self-contained HTML page of an executed notebook.

    Code is hidden unless ``with_code`` — except the cell that failed, which is always
    shown with its traceback. Cell ids are made deterministic so two runs of the same
    inputs give the same page body.
    """
    import copy

    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    err = find_error(nb)
    failing = err[0] if err else None
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        if cell.get("cell_type") == "code" and not with_code and i != failing:
            cell.setdefault("metadata", {}).setdefault("transient", {})["remove_source"] = True
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab",
        template_file="report.html.j2",
        extra_template_paths=[str(TEMPLATES)],
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
        embed_images=True,
    )
    resources = {
        "framelens_banner": banner,
        "framelens_footer": footer,
        "metadata": {"name": title},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return strip_remote(body)


def failure_banner_html(name: str, error: str, *, cell: int | None = None) -> str:
    """The red notice at the top of a failed report (escaped)."""
    where = (
        f" (in code cell {cell + 1}; shown below with its traceback)" if cell is not None else ""
    )
    return (
        '<div class="framelens-banner" role="alert"><h2>This report failed</h2>'
        f"<p><strong>{esc(name)}</strong>{esc(where)}:</p><pre>{esc(error)}</pre></div>"
    )


def error_page_html(name: str, error: str, footer: str = "") -> str:
    """A minimal stand-alone page for a report whose notebook could not run at all."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(name)} (failed)</title><style>body{{font-family:sans-serif;"
        "max-width:1100px;margin:2em auto}"
        ".framelens-banner{border:2px solid #D55E00;background:#fff3ec;padding:.8em 1em}"
        "</style></head><body>"
        f"{failure_banner_html(name, error)}{footer}</body></html>"
    )


def _kv_rows(items: Mapping[str, Any]) -> str:
    def text(v: Any) -> str:
        return json.dumps(v, sort_keys=True, default=str) if isinstance(v, (dict, list)) else v

    return "".join(
        f"<tr><th>{esc(k)}</th><td><code>{esc(text(v))}</code></td></tr>" for k, v in items.items()
    )


def provenance_html(entry: Mapping[str, Any]) -> str:
    """The provenance section of a report: parameters, inputs with SHA-256, versions.

    The run timestamp and timings sit in elements of class ``framelens-volatile`` (the
    only parts of a report that differ between two runs of the same inputs).
    """
    inputs = entry.get("inputs") or {}
    env = entry.get("environment") or {}
    pkgs = env.get("packages") or {}
    parts = ['<section class="framelens-provenance"><h2>Provenance</h2>']
    parts.append("<table>")
    parts.append(
        _kv_rows(
            {
                "report": entry.get("name"),
                "job": entry.get("job"),
                "notebook": (inputs.get("notebook") or {}).get("path"),
                "notebook sha256": (inputs.get("notebook") or {}).get("sha256"),
                "framelens": entry.get("framelens"),
                "git commit": entry.get("git_commit") or "(not a git checkout)",
                "analysis key": entry.get("analysis_key"),
                "report key": entry.get("key"),
            }
        )
    )
    parts.append("</table><h3>Parameters</h3><table>")
    parts.append(_kv_rows(entry.get("parameters") or {}))
    parts.append("</table><h3>Inputs</h3><table>")
    flat = {}
    for k, v in inputs.items():
        if k == "notebook":
            continue
        if isinstance(v, Mapping) and k != "lexicons":
            for kk, vv in v.items():
                flat[f"{k} {kk}"] = vv
        elif isinstance(v, Mapping):
            for kk, vv in v.items():
                flat[f"lexicon {kk}"] = vv
        else:
            flat[k] = v
    parts.append(_kv_rows(flat))
    parts.append("</table><h3>Environment</h3><table>")
    parts.append(
        _kv_rows(
            {
                "python": env.get("python"),
                "platform": env.get("platform"),
                **{k: v for k, v in sorted(pkgs.items())},
            }
        )
    )
    parts.append("</table>")
    parts.append(
        '<p class="framelens-volatile">Rendered <span class="framelens-run-time">'
        f'{esc(entry.get("finished"))}</span> in <span class="framelens-runtime">'
        f"{esc(entry.get('runtime_s'))}</span> s.</p></section>"
    )
    return "".join(parts)


# --------------------------------------------------------------------------- index
_INDEX_CSS = (
    "\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
    "\n"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}"
    "\n"
    "th{background:#f4f4f4}.ok{color:#009E73;font-weight:bold}"
    ".failed{color:#D55E00;font-weight:bold}\n"
    ".pending{color:#E69F00;font-weight:bold}.kf{font-size:90%}"
    ".kf td,.kf th{border:none;padding:0 8px 0 0;background:none}\n"
    ".meta{color:#555;font-size:90%}code{font-size:90%}\n"
    ".findings li{margin:.5em 0}.finding{margin-left:1em}\n"
)


def _figure_value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    return str(v)


#: Key-figure names whose (string) value is a report's key result in words, when a
#: notebook records one; otherwise the figures themselves are put into words.
FINDING_KEYS = ("finding", "key finding", "key result")


def _figure_words(name: str, v: Any) -> str:
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,} {name}"
    if isinstance(v, str):
        return f"{name}: {v}"
    return f"{name} {_figure_value(v)}"


def finding_text(figures: Mapping[str, Any], *, limit: int = 4) -> str:
    """A report's key result in words: the figure named ``finding`` (or ``key result``)
    when the notebook records one, else its first key figures as a phrase.

    Examples
    --------
    >>> finding_text({"documents": 31, "relation events": 156, "mean diversity": 0.5551})
    '31 documents; 156 relation events; mean diversity 0.555'
    >>> finding_text({"finding": "RT: alignment index 0.88 toward Russia", "documents": 3})
    'RT: alignment index 0.88 toward Russia'
    """
    for k, v in figures.items():
        if str(k).lower() in FINDING_KEYS and isinstance(v, str) and v.strip():
            return v.strip()
    parts = [_figure_words(str(k), v) for k, v in figures.items() if v is not None]
    return "; ".join(parts[:limit])


def _report_label(r: Mapping[str, Any]) -> str:
    """How the index names a report: an article report by its document's title."""
    title = r.get("title")
    return f"{r.get('job')}: {title}" if title else str(r.get("name"))


def _findings_html(reports) -> str:
    """The index's lead: one item per report, description and key result in words."""
    items = []
    for r in reports:
        link = (
            f'<a href="{esc(r["html"])}">{esc(_report_label(r))}</a>'
            if r.get("html")
            else esc(_report_label(r))
        )
        desc = f" - {esc(r['description'])}" if r.get("description") else ""
        if r.get("status") == "ok":
            found = finding_text(r.get("key_figures") or {})
            result = f'<div class="finding">{esc(found)}</div>' if found else ""
        elif r.get("status") == "failed":
            first = str(r.get("error") or "failed").splitlines()[0]
            result = f'<div class="finding failed">failed: {esc(first)}</div>'
        else:
            result = '<div class="finding pending">not rendered yet</div>'
        note = f'<div class="meta">{esc(r["note"])}</div>' if r.get("note") else ""
        items.append(f"<li><strong>{link}</strong>{desc}{result}{note}</li>")
    return '<h2>Findings</h2><ul class="findings">' + "".join(items) + "</ul>"


def _row_html(r: Mapping[str, Any]) -> str:
    status = str(r.get("status", "pending"))
    cls = {"ok": "ok", "failed": "failed"}.get(status, "pending")
    label = status + (
        " (up to date)" if r.get("last_action") == "skipped" and status == "ok" else ""
    )
    figs = r.get("key_figures") or {}
    kf = (
        (
            '<table class="kf">'
            + "".join(
                f"<tr><th>{esc(k)}</th><td>{esc(_figure_value(v))}</td></tr>"
                for k, v in figs.items()
            )
            + "</table>"
        )
        if figs
        else ""
    )
    links = []
    if r.get("html"):
        links.append(f'<a href="{esc(r["html"])}">report</a>')
    if r.get("ipynb"):
        links.append(f'<a href="{esc(r["ipynb"])}">executed notebook</a>')
    err = f'<div class="meta">{esc(r.get("error"))}</div>' if r.get("error") else ""
    name = (
        f'<a href="{esc(r["html"])}">{esc(r.get("name"))}</a>'
        if r.get("html")
        else esc(r.get("name"))
    )
    params = ", ".join(
        f"{esc(k)}={esc(v)}"
        for k, v in (r.get("parameters") or {}).items()
        if k not in ("corpus", "config")
    )
    runtime = r.get("runtime_s")
    return (
        f'<tr><td>{name}<div class="meta">{esc(r.get("job"))}'
        f"{' · ' + params if params else ''}</div></td>"
        f'<td class="{cls}">{esc(label)}{err}</td>'
        f"<td>{esc(f'{runtime:.1f} s' if isinstance(runtime, (int, float)) else '')}</td>"
        f"<td>{kf}</td><td>{' · '.join(links)}</td></tr>"
    )


def index_html(manifest: Mapping[str, Any], *, title: str = "framelens reports") -> str:
    """``reports/index.html``: the findings first (each report's description and key
    result in words, article reports by title), then one row per report with status,
    runtime, key figures and links."""
    reports = manifest.get("reports", [])
    n_failed = sum(1 for r in reports if r.get("status") == "failed")
    corpus = (
        f"corpus <strong>{esc(manifest['corpus'])}</strong> · " if manifest.get("corpus") else ""
    )
    head = (
        f'<p class="meta">{corpus}{len(reports)} report(s), '
        f"{n_failed} failed · workbook <code>{esc(manifest.get('workbook'))}</code> · "
        f"framelens {esc(manifest.get('framelens'))} · "
        f"git {esc(manifest.get('git_commit') or 'n/a')} · "
        f'generated <span class="framelens-run-time">{esc(manifest.get("generated"))}</span> · '
        '<a href="manifest.json">manifest.json</a></p>'
    )
    notes = manifest.get("notes") or []
    notes_html = (
        '<ul class="meta notes">' + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
        if notes
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>"
        f"<style>{_INDEX_CSS}</style></head><body><h1>{esc(title)}</h1>{head}{notes_html}"
        + _findings_html(reports)
        + "<h2>Reports</h2>"
        "<table><thead><tr><th>report</th><th>status</th><th>runtime</th>"
        "<th>key figures</th><th>links</th></tr></thead><tbody>"
        + "".join(_row_html(r) for r in reports)
        + "</tbody></table></body></html>"
    )


def tail(text: str, n: int = 25) -> str:
    """The last ``n`` lines of ``text``."""
    lines = (text or "").rstrip().splitlines()
    return "\n".join(lines[-n:])
