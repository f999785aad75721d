"""framelens.report.notebook: notebook paths resolve from notebooks/ and from the
repository root; parameters papermill injects are checked against the notebook's
parameters cell by name."""

from __future__ import annotations

import nbformat
import pytest

from conftest import ROOT
from framelens.errors import WorkbookError
from framelens.report import notebook, params

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FIXTURE = "../tests/report/fixtures/nometa"  # relative to notebooks/, as the defaults are


@pytest.mark.parametrize("where", ["root", "notebooks"])
def test_default_paths_resolve_from_the_repository_root_and_from_notebooks(where, monkeypatch):
    monkeypatch.chdir(ROOT if where == "root" else ROOT / "notebooks")
    assert params.resolve_path("../data/sample") == str((ROOT / "data" / "sample").resolve())
    cfg = params.resolve_path("../data/sample/analysis.yaml", name="config")
    assert cfg == str(ROOT / "data" / "sample" / "analysis.yaml")


def test_paths_relative_to_the_working_folder_win_and_absent_ones_are_named(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert params.resolve_path("data/sample") == str(ROOT / "data" / "sample")
    assert params.resolve_path(str(ROOT / "README.md")) == str(ROOT / "README.md")
    assert params.resolve_path("") == "" and params.resolve_path(None) is None
    with pytest.raises(WorkbookError, match=r"corpus 'nope' not found; looked in: .*notebooks"):
        params.resolve_path("nope", name="corpus")


PARAMS_CELL = 'corpus = "../data/sample"\nconfig = ""\ngroup_col = "outlet"'


def test_injected_parameters_must_be_declared():
    ok = ["", PARAMS_CELL, '# Parameters\ngroup_col = "source"\n', "import x"]
    notebook.check_injected(history=ok)
    notebook.check_injected(history=["", PARAMS_CELL])  # run by hand: nothing injected
    notebook.check_injected(history=["", PARAMS_CELL, '# Parameters\nPAPERMILL_INPUT_PATH = "x"'])
    bad = ["", PARAMS_CELL, '# Parameters\nfocus = "HUN"\ngroup_cl = "x"\n']
    with pytest.raises(WorkbookError) as err:
        notebook.check_injected(history=bad)
    msg = str(err.value)
    assert "unknown notebook parameters 'focus', 'group_cl' (did you mean 'group_col'?)" in msg
    assert "this notebook's parameters are: corpus, config, group_col" in msg


def test_check_injected_outside_a_kernel_does_nothing():
    notebook.check_injected()


def _validation_cell(nb) -> str:
    i = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    return next(c.source for c in nb.cells[i + 1 :] if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_validation_cell_checks_injected_names_and_resolves_paths_first(path):
    src = _validation_cell(nbformat.read(path, as_version=4))
    opened = src.index("open_analysis(")
    assert -1 < src.find("params.check_injected()") < opened
    assert -1 < src.find('params.resolve_path(corpus, name="corpus")') < opened
    assert -1 < src.find('params.resolve_path(config, name="config")') < opened


def _papermill(tmp_path, **parameters):
    import papermill as pm

    return pm.execute_notebook(
        str(ROOT / "notebooks" / "corpus.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters=parameters,
        kernel_name="framelens",
        cwd=str(ROOT),  # papermill run from the repository root
        progress_bar=False,
    )


@pytest.mark.slow
def test_papermill_from_the_repository_root_runs_and_rejects_a_misspelt_parameter(
    tmp_path, monkeypatch
):
    from papermill.exceptions import PapermillExecutionError

    monkeypatch.setenv("FRAMELENS_CACHE_DIR", str(tmp_path / "cache"))
    _papermill(tmp_path, corpus=FIXTURE)
    with pytest.raises(PapermillExecutionError) as err:
        _papermill(tmp_path, corpus=FIXTURE, group_cl="title")
    assert err.value.ename == "WorkbookError"
    assert "unknown notebook parameter 'group_cl' (did you mean 'group_col'?)" in err.value.evalue
