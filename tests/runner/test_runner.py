"""The report runner: workbook validation, parameter checks, expansion, execution,
failures, incremental skips, manifest, index and the safety of the HTML it writes.

The fixture notebooks live in tests/fixtures/runner/ (ok.ipynb, fail.ipynb,
corpus_param.ipynb) with a three-document corpus whose first document carries
``<script>``, ``<img onerror>`` and a ``javascript:`` URL, and a minimal analysis
configuration (one lexicon, no measure steps) so these tests do not depend on the
measure modules. One module-scoped run executes the suite; the tests read its outputs.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from conftest import FIXTURES
from framelens.core.provenance import sha256_file, sha256_path
from framelens.runner import (
    WorkbookError,
    load_workbook,
    notebook_parameters,
    notebook_parameters_from_source,
    run,
    safe_name,
)
from framelens.runner.render import strip_remote

FIX = FIXTURES / "runner"

WORKBOOK = """
title: runner test <script>alert(3)</script>
corpus: corpus
config: minimal_config.yaml
jobs:
  - name: ok
    notebook: ok.ipynb
    parameters: {n: 3}
  - name: fail
    notebook: fail.ipynb
  - name: per-doc
    notebook: corpus_param.ipynb
    expand: {over: doc_id, values: [a1, b1]}
    output: doc-{doc_id}
  - name: slow
    notebook: slow.ipynb
    timeout: 2
"""

_REMOTE = re.compile(
    r"<script[^>]*\bsrc\s*=|<link[^>]*href\s*=\s*[\"']?(https?:)?//|@import|url\(\s*[\"']?(https?:)?//",
    re.IGNORECASE,
)
_VOLATILE = re.compile(
    r'<(span|p) class="framelens-(run-time|runtime|volatile)">.*?</\1>', re.DOTALL
)


def _project(tmp: Path, workbook: str = WORKBOOK) -> Path:
    for name in (
        "ok.ipynb",
        "fail.ipynb",
        "corpus_param.ipynb",
        "slow.ipynb",
        "fixture_lexicon.yaml",
    ):
        shutil.copy(FIX / name, tmp / name)
    config = (FIX / "minimal_config.yaml").read_text()
    (tmp / "minimal_config.yaml").write_text(
        config.replace("[fixture_lexicon.yaml]", json.dumps([str(tmp / "fixture_lexicon.yaml")]))
    )
    shutil.copytree(FIX / "corpus", tmp / "corpus")
    (tmp / "workbook.yaml").write_text(workbook)
    return tmp / "workbook.yaml"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("suite")
    wb = _project(tmp)
    result = run(wb, out=tmp / "reports", jobs=2, timeout=120, progress=False)
    first = {p.name: p.read_text() for p in (tmp / "reports").glob("*.html")}
    return tmp, result, first


# ----------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    "text, needle",
    [
        ("jobs: []", "non-empty list"),
        ("jobs:\n  - notebook: ok.ipynb", "needs a 'name'"),
        (
            "jobs:\n  - name: a\n    notebook: missing.ipynb",
            "job 'a': notebook missing.ipynb not found",
        ),
        (
            "jobs:\n  - {name: a, notebook: ok.ipynb}\n  - {name: a, notebook: ok.ipynb}",
            "appears twice",
        ),
        ("jobs:\n  - {name: a, notebook: ok.ipynb, colour: red}", "unknown key(s) ['colour']"),
        (
            "jobs:\n  - {name: a, notebook: ok.ipynb, "
            "expand: {over: doc_id, parameter_sets: [{}]}}",
            "exactly one of 'over' or 'parameter_sets'",
        ),
        ("jobs:\n  - {name: 'a b', notebook: ok.ipynb}", "letters, digits"),
        (
            "corpora: x\njobs:\n  - {name: a, notebook: ok.ipynb}",
            "unknown top-level key(s) ['corpora']",
        ),
    ],
)
def test_workbook_validation_errors_name_the_job_and_fix(tmp_path, text, needle):
    wb = _project(tmp_path, text)
    with pytest.raises(WorkbookError) as err:
        load_workbook(wb)
    assert needle in str(err.value)


def test_workbook_paths_are_absolute_and_relative_to_the_file(tmp_path):
    wb = load_workbook(_project(tmp_path))
    assert wb.corpus == str((tmp_path / "corpus").resolve())
    assert wb.config == str((tmp_path / "minimal_config.yaml").resolve())
    assert [j.name for j in wb.jobs] == ["ok", "fail", "per-doc", "slow"]
    assert wb.job("slow").timeout == 2
    assert wb.job("ok").notebook == (tmp_path / "ok.ipynb").resolve()


def test_parameters_cell_is_parsed_from_literals():
    src = 'import os\n"""doc"""\na = 1\nb: str = "x"  # comment\nc = [1, {"k": None}]\n'
    assert notebook_parameters_from_source(src) == {"a": 1, "b": "x", "c": [1, {"k": None}]}
    with pytest.raises(WorkbookError, match="literal"):
        notebook_parameters_from_source("a = os.getcwd()")
    with pytest.raises(WorkbookError, match="only literal assignments"):
        notebook_parameters_from_source("for i in range(3):\n    pass")
    assert notebook_parameters(FIX / "ok.ipynb") == {
        "doc_id": "a1",
        "n": 2,
        "label": "<script>alert(1)</script>",
    }


def test_unknown_parameter_fails_before_anything_runs(tmp_path):
    wb = _project(tmp_path, "jobs:\n  - {name: typo-job, notebook: ok.ipynb, parameters: {nn: 3}}")
    with pytest.raises(WorkbookError) as err:
        run(wb, out=tmp_path / "reports", progress=False)
    msg = str(err.value)
    assert "typo-job" in msg and "['nn']" in msg and "['doc_id', 'label', 'n']" in msg
    assert not (tmp_path / "reports").exists()  # nothing ran, nothing written


def test_mistyped_parameter_fails_with_both_types(tmp_path):
    wb = _project(tmp_path, "jobs:\n  - {name: j, notebook: ok.ipynb, parameters: {n: three}}")
    with pytest.raises(WorkbookError, match=r"job 'j': parameter 'n' is str .* declares int"):
        run(wb, out=tmp_path / "reports", progress=False)


def test_only_selects_jobs_or_reports(tmp_path):
    from framelens.runner import plan

    wb = load_workbook(_project(tmp_path))
    assert [p.report.name for p in plan(wb, only=["per-doc"])] == ["doc-a1", "doc-b1"]
    assert [p.report.name for p in plan(wb, only=["doc-b*", "ok"])] == ["ok", "doc-b1"]
    with pytest.raises(WorkbookError, match="matches no job and no report"):
        run(wb.path, out=tmp_path / "r", only=["nope"], progress=False)


def test_report_names_cannot_escape_the_output_folder(tmp_path):
    assert safe_name("../../etc/passwd") == "etc_passwd"
    assert "/" not in safe_name("a/b\\c") and ".." not in safe_name("x/../..y")
    with pytest.raises(WorkbookError):
        safe_name("../..")
    wb = _project(
        tmp_path,
        "jobs:\n  - name: j\n    notebook: ok.ipynb\n    expand:\n"
        "      parameter_sets: [{doc_id: '../../evil'}, {doc_id: 'x'}]\n"
        "    output: '{doc_id}'\n",
    )
    from framelens.runner import plan

    names = [p.report.name for p in plan(load_workbook(wb))]
    assert names == ["evil", "x"]


# ----------------------------------------------------------------------------- the run
@pytest.mark.slow  # executes notebooks
def test_failure_is_reported_and_other_jobs_go_on(suite):
    tmp, result, _ = suite
    assert not result.ok
    assert result.failed == ["fail", "slow"]
    assert {r.name: r.status for r in result.reports} == {
        "ok": "ok",
        "fail": "failed",
        "doc-a1": "ok",
        "doc-b1": "ok",
        "slow": "failed",
    }
    assert "ValueError: deliberate failure" in result.summary()
    assert "FAILED: fail, slow" in result.summary()
    page = (tmp / "reports" / "fail.html").read_text()
    assert "This report failed" in page
    assert "deliberate failure &lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert '<span class="k">raise</span>' in page  # the failing cell's code is shown
    assert "Traceback" in page or "ansi" in page
    assert "never reached" not in page  # later cells did not run
    index = (tmp / "reports" / "index.html").read_text()
    assert re.search(r'fail</a>.*?class="failed">failed', index, re.DOTALL)


@pytest.mark.slow  # executes notebooks
def test_timeout_stops_a_notebook_and_reports_it(suite):
    tmp, result, _ = suite
    slow = {r.name: r for r in result.reports}["slow"]
    assert "Timeout" in slow.error or "timed out" in slow.error
    assert slow.runtime_s < 30
    page = (tmp / "reports" / "slow.html").read_text()
    assert "This report failed" in page and "starting" in page  # cells before the hang ran


@pytest.mark.slow  # executes notebooks
def test_expansion_over_doc_id_and_cache_warmed(suite):
    tmp, _, _ = suite
    for d in ("a1", "b1"):
        assert (tmp / "reports" / f"doc-{d}.html").exists()
        nb = nbformat.read(tmp / "reports" / "_build" / f"doc-{d}.ipynb", as_version=4)
        text = "".join(
            o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
        )
        assert f"doc: {d}" in text and "corpus exists: True" in text
        assert "cache warmed: True" in text  # the runner analysed the corpus before the kernels ran
    assert not (tmp / "reports" / "doc-a2.html").exists()  # filtered by expand.values


@pytest.mark.slow  # executes notebooks
def test_notebook_runs_in_its_own_folder_with_parameters(suite):
    tmp, _, _ = suite
    nb = nbformat.read(tmp / "reports" / "_build" / "ok.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "doc_id=a1 n=3" in text
    assert f"cwd-name {tmp.name}" in text


@pytest.mark.slow  # executes notebooks
def test_manifest_records_inputs_versions_and_status(suite):
    tmp, _, _ = suite
    man = json.loads((tmp / "reports" / "manifest.json").read_text())
    reps = {r["name"]: r for r in man["reports"]}
    assert list(reps) == ["ok", "fail", "doc-a1", "doc-b1", "slow"]  # workbook order
    ok, doc = reps["ok"], reps["doc-a1"]
    assert ok["status"] == "ok" and reps["fail"]["status"] == "failed"
    assert ok["inputs"]["notebook"]["sha256"] == sha256_file(tmp / "ok.ipynb")
    assert ok["parameters"] == {"n": 3}
    assert ok["key_figures"] == {"n": 3, "doc": "a1", "label": "<script>alert(1)</script>"}
    assert ok["runtime_s"] > 0 and ok["finished"]
    assert ok["environment"]["packages"]["papermill"]
    assert doc["inputs"]["corpus"]["sha256"] == sha256_path(tmp / "corpus")
    # the configured lexicon and the text layer's reporting-verb classes
    # the attribution model's weights are a resource of the default configuration
    assert set(doc["inputs"]["lexicons"]) == {
        "fixture_terms",
        "reporting_verbs",
        "attribution_model",
    }
    assert len(doc["inputs"]["config"]["hash"]) == 64
    assert doc["analysis_key"] and doc["parameters"]["doc_id"] == "a1"
    assert doc["parameters"]["corpus"] == str((tmp / "corpus").resolve())
    assert "ValueError" in reps["fail"]["error"]
    assert man["framelens"] and "generated" in man


@pytest.mark.slow  # executes notebooks
def test_html_is_self_contained_and_escaped(suite):
    tmp, _, _ = suite
    pages = list((tmp / "reports").glob("*.html"))
    assert len(pages) == 6  # 5 reports + index
    for p in pages:
        html = p.read_text()
        assert not _REMOTE.search(html), f"{p.name} references something remote"
        assert "<script>alert" not in html, f"{p.name} has corpus/parameter markup unescaped"
        assert "<script" not in html.lower()  # no scripts at all: nothing to fetch or run
    ok = (tmp / "reports" / "ok.html").read_text()
    assert "data:image/png;base64," in ok  # the figure is inline
    assert "label: &lt;script&gt;alert(1)&lt;/script&gt;" in ok
    assert "Provenance" in ok and sha256_file(tmp / "ok.ipynb") in ok
    assert "hl-ipython3" not in ok  # code hidden by default
    index = (tmp / "reports" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index  # key figure, escaped
    assert "runner test &lt;script&gt;alert(3)&lt;/script&gt;" in index


def test_strip_remote_removes_cdn_tags():
    page = (
        '<script src="https://cdn.x/require.js"></script>'
        '<link rel="stylesheet" href="//cdn.x/a.css"><p>x</p>'
    )
    assert strip_remote(page) == "<p>x</p>"


@pytest.mark.slow  # executes notebooks
def test_incremental_skip_touch_and_reproducible(suite):
    tmp, _, first = suite
    wb, out = tmp / "workbook.yaml", tmp / "reports"
    only = ["ok", "per-doc"]
    t0 = time.perf_counter()
    again = run(wb, out=out, jobs=2, only=only, progress=False)
    elapsed = time.perf_counter() - t0
    assert again.ok and sorted(again.skipped) == ["doc-a1", "doc-b1", "ok"]
    assert elapsed < 3.0, f"a run with nothing changed took {elapsed:.1f} s"
    man = json.loads((out / "manifest.json").read_text())
    assert {r["name"]: r["last_action"] for r in man["reports"]}["ok"] == "skipped"
    assert {r["name"]: r["status"] for r in man["reports"]}[
        "fail"
    ] == "failed"  # kept, not selected

    # touching the corpus re-runs exactly the reports that read it
    doc = tmp / "corpus" / "b1.txt"
    original = doc.read_text()
    doc.write_text(original + "\nA new closing sentence.\n")
    touched = run(wb, out=out, jobs=2, only=only, progress=False)
    assert touched.ok
    assert {r.name: r.status for r in touched.reports} == {
        "ok": "skipped",
        "doc-a1": "ok",
        "doc-b1": "ok",
    }

    # back to the original inputs: the reports are rendered again and their bodies are
    # identical to the first run's apart from the run time and timings
    doc.write_text(original)
    restored = run(wb, out=out, jobs=2, only=["per-doc"], progress=False)
    assert sorted(restored.executed) == ["doc-a1", "doc-b1"]
    for name in ("doc-a1.html", "doc-b1.html"):
        a, b = _VOLATILE.sub("", first[name]), _VOLATILE.sub("", (out / name).read_text())
        assert a == b


@pytest.mark.slow  # executes notebooks
def test_with_code_shows_code_and_is_part_of_the_key(suite):
    tmp, _, _ = suite
    from framelens.runner import plan
    from framelens.runner.render import render_notebook_html

    nb = nbformat.read(tmp / "reports" / "_build" / "ok.ipynb", as_version=4)
    shown = render_notebook_html(nb, title="ok", with_code=True)
    hidden = render_notebook_html(nb, title="ok", with_code=False)
    assert 'class="nb">print' in shown and "hl-ipython3" not in hidden
    wb = load_workbook(tmp / "workbook.yaml")
    keys = [
        {p.report.name: p.key for p in plan(wb, only=["ok"], with_code=w)} for w in (False, True)
    ]
    assert keys[0]["ok"] != keys[1]["ok"]  # switching --with-code re-renders


def test_missing_kernelspec_falls_back_to_this_python(tmp_path, monkeypatch):
    import sys

    from jupyter_client import kernelspec

    from framelens.runner import resolve_kernel

    def no_such_kernel(self, name):
        raise kernelspec.NoSuchKernel(name)

    monkeypatch.setattr(kernelspec.KernelSpecManager, "get_kernel_spec", no_such_kernel)
    name, env = resolve_kernel(tmp_path)
    spec = json.loads((tmp_path / "jupyter" / "kernels" / "framelens" / "kernel.json").read_text())
    assert name == "framelens" and spec["argv"][0] == sys.executable
    assert env["JUPYTER_PATH"].split(":")[0] == str(tmp_path / "jupyter")


@pytest.mark.slow  # executes notebooks
def test_cli_exit_codes(suite, capsys):
    from framelens.cli import main

    tmp, _, _ = suite
    wb, out = str(tmp / "workbook.yaml"), str(tmp / "reports")
    assert main(["run", "--workbook", wb, "--out", out, "--only", "ok"]) == 0  # up to date
    assert "SKIPPED" in capsys.readouterr().out
    bad = tmp / "bad.yaml"
    bad.write_text("jobs:\n  - {name: j, notebook: ok.ipynb, parameters: {zzz: 1}}")
    assert main(["run", "--workbook", str(bad), "--out", out]) == 2
    assert "job 'j': unknown parameter(s) ['zzz']" in capsys.readouterr().err


@pytest.mark.slow  # executes notebooks
def test_edited_package_code_changes_every_report_key(suite, monkeypatch):
    # a report made by other code (an edited checkout, not only another version) is never
    # reused: the package's code fingerprint is part of the analysis and report keys
    tmp, _, _ = suite
    from framelens.core import provenance
    from framelens.runner import plan

    wb = load_workbook(tmp / "workbook.yaml")
    prev = json.loads((tmp / "reports" / "manifest.json").read_text())
    before = {p.report.name: p.key for p in plan(wb, only=["ok", "per-doc"], prev=prev)}
    monkeypatch.setattr(provenance, "package_fingerprint", lambda **kw: "edited-code")
    after = {p.report.name: p.key for p in plan(wb, only=["ok", "per-doc"], prev=prev)}
    assert before.keys() == after.keys()
    assert all(before[k] != after[k] for k in before)


def test_doc_ids_that_sanitise_alike_get_distinct_report_names(tmp_path):
    wb = _project(
        tmp_path,
        "jobs:\n  - name: j\n    notebook: ok.ipynb\n    expand:\n"
        "      parameter_sets: [{doc_id: 'a b'}, {doc_id: 'a/b'}]\n"
        "    output: 'art-{doc_id}'\n",
    )
    from framelens.runner import plan

    names = [p.report.name for p in plan(load_workbook(wb))]
    assert len(set(names)) == 2 and names[0] == "art-a_b" and names[1].startswith("art-a_b-")


# ----------------------------------------------------------------------------- interruption
def _processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is under ``folder`` (the workers and kernels of a
    run there: both run in the notebook's folder)."""
    import os

    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) != os.getpid():
            try:
                cwd = os.readlink(d / "cwd")
            except OSError:
                continue
            if cwd == str(folder) or cwd.startswith(f"{folder}/"):
                found.append(int(d.name))
    return found


@pytest.mark.slow  # executes a notebook
@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs /proc (Linux)")
def test_sigterm_stops_workers_and_kernels_and_records_failures(tmp_path):
    """SIGTERM while a slow notebook runs: the runner exits promptly, no worker or kernel
    survives (none keeps writing into --out), nothing is left 'pending', and the report's
    page says it was interrupted (an earlier, fresh-looking page is replaced)."""
    import os
    import signal
    import subprocess
    import sys

    wb = _project(
        tmp_path,
        "jobs:\n  - {name: slow, notebook: slow.ipynb}\n  - {name: ok, notebook: ok.ipynb}\n",
    )
    out = tmp_path / "reports"
    out.mkdir()
    (out / "slow.html").write_text("<p>an earlier, good-looking report</p>")
    (out / "manifest.json").write_text('{"manifest_version": 1, "reports": []}')  # its run's
    proc = subprocess.Popen(
        [sys.executable, "-m", "framelens.cli", "run", "--workbook", str(wb), "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        running = out / "_build" / ".slow.ipynb.running.ipynb"
        # the kernel has started (papermill writes the running notebook) and is sleeping
        while time.monotonic() < deadline and not running.exists():
            time.sleep(0.2)
        assert running.exists(), "the slow notebook never started"
        time.sleep(2)
        assert len(_processes_in(tmp_path)) >= 2  # the worker and its kernel
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM
    assert "interrupted by SIGTERM" in err and "Traceback" not in err
    time.sleep(1)
    assert _processes_in(tmp_path) == [], "a worker or kernel outlived the run"
    snapshot = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    time.sleep(2)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == snapshot  # nothing writes
    man = json.loads((out / "manifest.json").read_text())
    status = {r["name"]: (r["status"], r.get("error") or "") for r in man["reports"]}
    assert all(s != "pending" for s, _ in status.values()), status
    assert status["slow"][0] == "failed" and "interrupted" in status["slow"][1]
    assert status["ok"][0] == "failed"  # never started: not pending, not fresh
    page = (out / "slow.html").read_text()
    assert "This report failed" in page and "interrupted" in page
    assert not (out / "_build" / "slow.ipynb").exists()
    assert "pending" not in (out / "index.html").read_text().replace(".pending{", "")
    os.sync()


# ----------------------------------------------------------------------------- output names
def test_report_names_never_replace_the_index_and_survive_non_ascii(tmp_path):
    """doc_id 'index' with output '{doc_id}' used to overwrite index.html; 'новости'
    aborted the whole run (no usable characters)."""
    from framelens.runner import plan

    wb = _project(
        tmp_path,
        "jobs:\n  - name: j\n    notebook: ok.ipynb\n    expand:\n"
        "      parameter_sets: [{doc_id: index}, {doc_id: Manifest}, {doc_id: новости},\n"
        "                       {doc_id: новая}, {doc_id: 'Škoda'}, {doc_id: '...'},\n"
        "                       {doc_id: A}, {doc_id: a}]\n"
        "    output: '{doc_id}'\n",
    )
    names = [p.report.name for p in plan(load_workbook(wb))]
    assert names[:2] == ["index-report", "Manifest-report"]
    assert names[2] == safe_name("новости") and re.fullmatch(r"[0-9a-f]{8}", names[2])
    assert names[3] != names[2]  # two Cyrillic ids: two names
    assert names[4] == "Skoda"  # transliterated
    assert names[5].startswith("j-")  # nothing usable: a hash name, not an abort
    assert names[6] == "A" and names[7].startswith("a-")  # apart on case-insensitive disks
    assert len({n.casefold() for n in names}) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) for n in names)


# ----------------------------------------------------------------------------- config paths
def _analysis_notebook(path: Path) -> None:
    """A notebook that opens the analysis with its config, as the report notebooks do."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus = "corpus"\nconfig = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import framelens.pipeline\n"
            "an = framelens.pipeline.open_analysis(corpus, config=config or None)\n"
            "print('matches:', len(an.tables['matches']))"
        ),
    ]
    nb.metadata["kernelspec"] = {"name": "framelens", "display_name": "framelens"}
    nbformat.write(nb, path)


@pytest.mark.slow  # executes a notebook
def test_config_paths_are_relative_to_the_config_file(tmp_path, monkeypatch, capsys):
    """A configuration naming its lexicon by relative path worked with `analyze` (run
    beside it) but failed under `run` (notebooks run in their own folder)."""
    from framelens.cli import main

    (tmp_path / "conf").mkdir()
    (tmp_path / "nb").mkdir()
    shutil.copy(FIX / "fixture_lexicon.yaml", tmp_path / "conf" / "fixture_lexicon.yaml")
    (tmp_path / "conf" / "analysis.yaml").write_text(
        "lexicons: [fixture_lexicon.yaml]\nsteps: []\nsentiment: false\n"
    )
    shutil.copytree(FIX / "corpus", tmp_path / "corpus")
    _analysis_notebook(tmp_path / "nb" / "open.ipynb")
    (tmp_path / "workbook.yaml").write_text(
        "corpus: corpus\nconfig: conf/analysis.yaml\n"
        "jobs:\n  - {name: open, notebook: nb/open.ipynb}\n"
    )
    monkeypatch.chdir(tmp_path)  # neither the config's folder nor the notebook's
    result = run("workbook.yaml", out=tmp_path / "reports", timeout=120, progress=False)
    assert result.ok, result.summary()
    nb = nbformat.read(tmp_path / "reports" / "_build" / "open.ipynb", as_version=4)
    assert "matches:" in str([c.outputs for c in nb.cells if c.cell_type == "code"])
    man = json.loads((tmp_path / "reports" / "manifest.json").read_text())
    assert set(man["reports"][0]["inputs"]["lexicons"]) >= {"fixture_terms"}
    # `framelens analyze` reads it the same way from any folder
    cfg = str(tmp_path / "conf" / "analysis.yaml")
    assert main(["analyze", str(tmp_path / "corpus"), "--config", cfg]) == 0
    capsys.readouterr()


# ----------------------------------------------------------------------------- run options
def test_p_overrides_notebook_parameters_checked_by_name_and_type(tmp_path):
    from framelens.runner import plan

    wb = load_workbook(_project(tmp_path))
    by_name = {p.report.name: p for p in plan(wb, overrides={"n": "7", "label": "x"})}
    assert by_name["ok"].report.parameters["n"] == 7  # read as the default's type (int)
    assert by_name["ok"].report.parameters["label"] == "x"
    with pytest.raises(WorkbookError, match=r"-p focus: no notebook of this run declares it"):
        plan(wb, overrides={"focus": "HUN"})
    with pytest.raises(WorkbookError, match=r"parameter 'n' is str .* declares int"):
        plan(wb, overrides={"n": "three"})


def test_default_and_metadata_reach_the_notebooks_with_problems_for_unmatched_ids(tmp_path):
    from framelens.corpus import load_corpus
    from framelens.runner import plan
    from framelens.runner.core import prepare_corpora

    wb = _project(tmp_path)
    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,outlet,region\na1,Gamma Daily,north\nzz9,Nobody,south\n")
    prepared = prepare_corpora(
        load_workbook(wb), defaults={"desk": "foreign"}, metadata=meta, progress=False
    )
    report = {p.report.name: p for p in plan(prepared)}["doc-a1"].report
    docs = load_corpus(report.parameters["corpus"]).docs.set_index("doc_id")
    assert docs.loc["a1", "outlet"] == "Gamma Daily" and docs.loc["b1", "outlet"] == "Beta Wire"
    assert docs.loc["a1", "region"] == "north" and docs["desk"].eq("foreign").all()
    notes = " | ".join(prepared.notes)
    assert "--default desk=foreign" in notes and "zz9" in notes and "matches no document" in notes
    assert "have no row" in notes  # a2 and b1 have no metadata row
    assert prepared.corpus_label == "corpus"  # the index still names the corpus


def test_article_job_picks_a_document_of_another_corpus(tmp_path):
    from framelens.runner import plan

    text = (
        "corpus: corpus\njobs:\n  - name: article\n    notebook: corpus_param.ipynb\n"
        "    parameters: {doc_id: '000_not_here'}\n    output: article-{doc_id}\n"
    )
    wb = _project(tmp_path, text)
    with pytest.raises(WorkbookError, match=r"doc_id '000_not_here' is not in the corpus"):
        plan(load_workbook(wb))
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "corpus", other)
    (p,) = plan(load_workbook(wb, corpus=other))
    assert p.report.parameters["doc_id"] == "a1" and p.report.name == "article-a1"
    assert "not in other" in p.entry["note"] and "first document by id" in p.entry["note"]
    assert p.entry["title"].startswith("Minister <script>")  # named by title in the index
    assert load_workbook(wb, corpus=other).title == "framelens reports - other"


def test_planning_reads_the_corpus_in_batches_never_whole(tmp_path, monkeypatch):
    """Expansion values and a document's title come from a pass over the corpus in
    batches (planning a million-document corpus must not hold it in memory)."""
    import framelens.corpus
    import framelens.corpus.load
    from framelens.runner import plan, planner

    def whole(*a, **k):
        raise AssertionError("planning loaded the whole corpus")

    monkeypatch.setattr(framelens.corpus, "load_corpus", whole)
    monkeypatch.setattr(framelens.corpus.load, "load_corpus", whole)
    monkeypatch.setattr(planner, "PLAN_BATCH", 1)  # one record per batch: values span batches
    text = (
        "corpus: corpus\njobs:\n  - name: article\n    notebook: corpus_param.ipynb\n"
        "    parameters: {doc_id: '000_not_here'}\n    output: article-{doc_id}\n"
    )
    wb = _project(tmp_path, text)
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "corpus", other)
    (p,) = plan(load_workbook(wb, corpus=other))
    assert p.report.parameters["doc_id"] == "a1"
    assert p.entry["title"].startswith("Minister <script>")
    memo = planner.AnalysisMemo({})
    assert memo.values(str(other), None, "doc_id", "article") == ["a1", "a2", "b1"]
    with pytest.raises(WorkbookError, match=r"cannot expand over 'desk'"):
        memo.values(str(other), None, "desk", "article")


def test_index_leads_with_findings_in_words():
    from framelens.runner.render import index_html

    manifest = {
        "corpus": "semeval <b>",
        "notes": ["doc_id 'x' is not in semeval"],
        "reports": [
            {
                "name": "article-a1",
                "job": "article",
                "title": "Talks <i>went</i> well",
                "status": "ok",
                "html": "article-a1.html",
                "description": "The motivating article in depth.",
                "key_figures": {"words": 453, "quotations": 19},
            },
            {
                "name": "alignment",
                "job": "alignment",
                "status": "ok",
                "html": "alignment.html",
                "key_figures": {"documents": 17, "finding": "RT: index 0.88 toward Russia"},
            },
            {"name": "framing", "job": "framing", "status": "failed", "error": "KeyError: x"},
        ],
    }
    page = index_html(manifest, title="framelens reports - semeval")
    assert page.index("Findings") < page.index("<h2>Reports</h2>")
    assert "article: Talks &lt;i&gt;went&lt;/i&gt; well" in page
    assert "The motivating article in depth." in page and "453 words; 19 quotations" in page
    assert "RT: index 0.88 toward Russia" in page and "failed: KeyError: x" in page
    assert "corpus <strong>semeval &lt;b&gt;</strong>" in page and "is not in semeval" in page


def test_a_corpus_without_documents_fails_its_reports_naming_why(tmp_path, capsys):
    # before: an unknown format, an empty folder or a header-only file rendered empty
    # reports marked ok, and the run never said why there was nothing in them
    from framelens.runner.warm import warm

    (tmp_path / "c.xyz").write_text("hello")
    (tmp_path / "empty").mkdir()
    (tmp_path / "head.csv").write_text("doc_id,text\n")
    pairs = [(str(tmp_path / n), None) for n in ("c.xyz", "empty", "head.csv")]
    failed = warm(pairs, None, cache_dir=tmp_path / "cache", progress=True)
    assert sorted(failed) == sorted(pairs)
    msg = failed[pairs[0]]
    assert "has no documents to report on" in msg and "unknown format '.xyz'" in msg
    assert "no .txt files found" in failed[pairs[1]] and "header only" in failed[pairs[2]]
    assert "1 input error(s), 0 warning(s)" in capsys.readouterr().err


def test_run_reads_a_corpus_with_its_own_text_column_and_names_dropped_records(tmp_path):
    # before: framelens run had no --text-col; and records dropped while preparing the
    # documents (--default, --metadata) were in no report: the prepared file has no trace
    from framelens.corpus import load_corpus
    from framelens.runner import plan
    from framelens.runner.core import prepare_corpora

    wb = _project(
        tmp_path, "corpus: corpus\njobs:\n  - name: c\n    notebook: corpus_param.ipynb\n"
    )
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "id,body\nx1,The minister spoke in Belgrade.\nx1,Another text here.\nx3,\n"
        "x4,Talks went on for hours.\n"
    )
    prepared = prepare_corpora(
        load_workbook(wb, corpus=csv), defaults=None, metadata=None, progress=False,
        read_options={"text_col": "body", "id_col": "id"},
    )  # fmt: skip
    (p,) = plan(prepared)
    docs = load_corpus(p.report.parameters["corpus"]).docs
    assert docs["doc_id"].tolist() == ["x1", "x4"]
    notes = " | ".join(prepared.notes)
    assert "--text-col body, --id-col id" in notes
    assert "2 input error(s) and 0 warning(s) while reading" in notes
    assert "row 2: doc_id 'x1' was already used" in notes and "row 3: text is empty" in notes


def test_run_never_replaces_the_users_own_index_or_pages(tmp_path):
    # before: --out holding the user's own index.html / manifest.json / ok.html had them
    # silently replaced (framelens analyze --out refuses such a folder; run did not)
    from framelens.errors import OutputError

    wb = _project(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("<h1>my own index</h1>")
    (out / "ok.html").write_text("my page")
    (out / "notes.txt").write_text("my notes")
    with pytest.raises(OutputError, match=r"would replace index\.html, ok\.html.*--overwrite"):
        run(wb, out=out, only=["ok"], progress=False)
    assert (out / "index.html").read_text() == "<h1>my own index</h1>"
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "notes.txt", "ok.html"]
    (out / "index.html").unlink()
    (out / "ok.html").unlink()
    from framelens.runner.core import check_replaced

    check_replaced(out, ["ok"], overwrite=False)  # only files it does not write: fine
    (out / "manifest.json").write_text('{"manifest_version": 1, "reports": []}')
    (out / "ok.html").write_text("an earlier run's page")
    check_replaced(out, ["ok"], overwrite=False)  # a folder of framelens reports: fine


def test_a_doc_id_given_with_p_that_the_corpus_lacks_is_an_error(tmp_path):
    # before: -p doc_id=nope under --corpus silently showed the first document instead
    from framelens.runner import plan

    text = "corpus: corpus\njobs:\n  - name: article\n    notebook: corpus_param.ipynb\n"
    wb = _project(tmp_path, text)
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "corpus", other)
    with pytest.raises(WorkbookError, match=r"-p doc_id=nope: no such document .*'a1'"):
        plan(load_workbook(wb, corpus=other), overrides={"doc_id": "nope"})
    (p,) = plan(load_workbook(wb, corpus=other), overrides={"doc_id": "b1"})
    assert p.report.parameters["doc_id"] == "b1" and not p.entry["note"]


def test_metadata_dates_are_parsed_as_the_loaders_do_and_bad_ones_reported(tmp_path):
    # before: a date the CSV could not give was silently emptied (pandas' coerce), even
    # over the document's own date, with no problem row and a pandas warning on stderr
    import warnings

    from framelens.corpus import load_corpus
    from framelens.runner.options import join_metadata

    (tmp_path / "a1.txt").write_text("---\ndate: 2023-05-01\n---\nFirst text.")
    (tmp_path / "b1.txt").write_text("Second text.")
    (tmp_path / "c1.txt").write_text("Third text.")
    docs = load_corpus(tmp_path).docs
    meta = tmp_path / "meta.csv"
    meta.write_text("doc_id,date\na1,notadate\nb1,2024-01-02T10:00:00Z\nc1,\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, problems = join_metadata(docs, meta)
    dates = out.set_index("doc_id")["date"].dt.strftime("%Y-%m-%d %H:%M").to_dict()
    assert dates["a1"] == "2023-05-01 00:00"  # the document keeps its own date
    assert dates["b1"] == "2024-01-02 10:00" and pd.isna(out.set_index("doc_id").loc["c1", "date"])
    bad = [p for p in problems if p["code"] == "bad_date"]
    assert len(bad) == 1 and bad[0]["record"] == "row 2"
    assert "cannot parse the date 'notadate' of doc_id 'a1'" in bad[0]["message"]


def test_run_metadata_given_a_txt_folder_sidecar_says_what_run_expects(tmp_path):
    # before: the same --metadata flag takes a 'file' sidecar in check/analyze and a
    # doc_id table in run; the error did not say so
    from framelens.errors import FramelensError
    from framelens.runner.options import join_metadata

    meta = tmp_path / "meta.csv"
    meta.write_text("file,outlet\na1.txt,RT\n")
    with pytest.raises(FramelensError, match=r"needs a 'doc_id' column.*sidecar of a \.txt folder"):
        join_metadata(pd.DataFrame({"doc_id": ["a1"]}), meta)
