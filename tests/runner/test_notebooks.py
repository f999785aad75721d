"""Notebook hygiene: every committed notebook under notebooks/ has no outputs or
execution counts, exactly one ``parameters`` cell of literal assignments, and runs
through the report runner on the small fixture corpus (tests/fixtures/runner/corpus,
whose first document carries ``<script>`` and ``<img onerror>`` markup) without error
output — with the notebooks' default analysis configuration (the sample's
data/sample/analysis.yaml: the whole pipeline, focal actor Serbia). The tests that
execute notebooks are marked ``slow``.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from conftest import FIXTURES, ROOT
from framelens.runner import notebook_parameters, run

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIX_CORPUS = FIXTURES / "runner" / "corpus"
#: The sample's analysis configuration (focal actor, camps), relative to notebooks/.
SAMPLE_CONFIG = "../data/sample/analysis.yaml"
REQUIRED = {
    "article.ipynb": {
        "corpus": "../data/sample",
        "doc_id": "000_fbaa5b5f07ee96ab",
        "config": SAMPLE_CONFIG,
    },
    "corpus.ipynb": {"corpus": "../data/sample", "config": SAMPLE_CONFIG, "group_col": "outlet"},
    "validation.ipynb": {
        "corpus": "../data/sample",
        "config": SAMPLE_CONFIG,
        "coding": "../data/coding",
        "n_boot": 500,
        "top_n": 8,
    },
}


def test_the_required_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= set(REQUIRED)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_one_literal_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], (
                f"{path.name} cell {i} has outputs: clear them before committing"
            )
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged 'parameters'"
    params = notebook_parameters(path)  # raises on anything but literal assignments
    assert params, f"{path.name}: the parameters cell declares nothing"
    if path.name in REQUIRED:
        assert params == REQUIRED[path.name]
    # default parameters point at the sample corpus, relative to notebooks/
    if "corpus" in params:
        assert (path.parent / params["corpus"]).resolve() == (ROOT / "data" / "sample").resolve()
    # the runner always executes with the `framelens` kernel; ours also open with it in JupyterLab
    assert nb.metadata.get("kernelspec", {}).get("name") == "framelens"
    # the analysis configuration defaults to the sample's own (it sets the focal actor)
    if "config" in params:
        assert params["config"] == SAMPLE_CONFIG and (path.parent / SAMPLE_CONFIG).is_file()
    # thin: no function or class definitions (they belong in the package)
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class)\s", src, re.MULTILINE), f"{path.name} defines functions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_records_a_finding_from_the_package(path):
    # the index page leads with each report's key result in words (issue 12)
    src = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert '"finding": findings.' in src, f"{path.name} records no `finding` key figure"


def test_the_workbook_renders_the_validation_notebook_on_the_sample_round():
    import yaml

    jobs = yaml.safe_load((ROOT / "workbook.yaml").read_text())["jobs"]
    job = next(j for j in jobs if j["notebook"] == "notebooks/validation.ipynb")
    coding = job.get("parameters", {}).get("coding")
    coding = coding or notebook_parameters(ROOT / job["notebook"])["coding"]
    assert (ROOT / "notebooks" / coding / "codebook.yaml").is_file()


def _validation_cell(nb) -> str:
    """The first code cell after the parameters cell."""
    i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    return next(c.source for c in nb.cells[i + 1 :] if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_are_checked_by_report_params_right_after_the_cell(path):
    nb = nbformat.read(path, as_version=4)
    assert "params.select(an," in _validation_cell(nb), f"{path.name}: no params.select"
    src = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for old in ("check_params", "check_parameters", "select_docs", "events_for"):
        assert old not in src, f"{path.name} still uses {old}"
    text = "\n".join(c.source for c in nb.cells)
    assert "per 100 tokens" not in text and "n_tokens" not in text, path.name


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("notebooks")
    jobs = []
    for path in NOTEBOOKS:
        params = notebook_parameters(path)
        p = {"doc_id": "a1"} if "doc_id" in params else {}
        jobs.append({"name": path.stem, "notebook": str(path), "parameters": p})
    (tmp / "workbook.yaml").write_text(json.dumps({"corpus": str(FIX_CORPUS), "jobs": jobs}))
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FRAMELENS_CACHE_DIR", raising=False)
        result = run(
            tmp / "workbook.yaml", out=tmp / "reports", jobs=2, timeout=300, progress=False
        )
    return tmp / "reports", result


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_through_the_runner_without_errors(rendered, path):
    out, result = rendered
    status = {r.name: (r.status, r.error) for r in result.reports}
    assert status[path.stem][0] == "ok", f"{path.name} failed: {status[path.stem][1]}"
    nb = nbformat.read(out / "_build" / f"{path.stem}.ipynb", as_version=4)
    problems = []
    for i, cell in enumerate(nb.cells):
        for o in cell.get("outputs", []):
            if o.output_type == "error":
                problems.append(f"cell {i}: {o.ename}: {o.evalue}")
            elif o.output_type == "stream" and o.name == "stderr":
                # warnings are noise, not errors (e.g. tqdm's "IProgress not found" when an
                # analysis is recomputed in the kernel); anything else on stderr is an error
                text = "\n".join(
                    ln
                    for ln in o.text.splitlines()
                    if "Warning" not in ln and not ln.startswith("  ")
                )
                if re.search(r"Error|Traceback", o.text) or (
                    path.name in REQUIRED and text.strip()
                ):
                    problems.append(f"cell {i} stderr: {o.text[:300]}")
    assert not problems, f"{path.name}: " + "; ".join(problems)
    page = (out / f"{path.stem}.html").read_text()
    assert "Traceback" not in page and "This report failed" not in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "data:image/png;base64," in page or path.name == "article.ipynb"


@pytest.mark.slow
def test_article_report_shows_the_document_escaped(rendered):
    out, _ = rendered
    page = (out / "article.html").read_text()
    assert "Minister &lt;script&gt;alert(" in page  # the title, escaped
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the text, escaped
    assert 'href="javascript' not in page
    assert "<mark" in page and "Download" in page  # highlighted text, CSV downloads
    man = json.loads((out / "manifest.json").read_text())
    figs = {r["name"]: r["key_figures"] for r in man["reports"]}
    assert figs["article"]["sentences"] >= 4 and figs["corpus"]["documents"] == 3
