"""The framelens command: thin parsing, clear errors, exit codes."""

import pytest

from conftest import ROOT, SAMPLE
from framelens.cli import main

BROKEN = ROOT / "tests" / "fixtures" / "corpus" / "broken"


def test_check_sample_is_clean(capsys):
    assert main(["check", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "0 errors" in out and "31 documents" in out


def test_check_broken_corpus_exits_non_zero_and_names_files(capsys):
    assert main(["check", str(BROKEN)]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and "b_empty.txt" in out


def test_missing_text_column_is_a_clear_error(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text("id,body\n1,hello world\n")
    assert main(["check", str(f)]) == 2
    err = capsys.readouterr().err
    assert "body" in err and "text_col" in err


def test_default_option_parsing(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text(
        "id,text\n1,The talks in Belgrade went on for a long time "
        "and ended without any agreement.\n"
    )
    assert main(["check", str(f), "--default", "outlet=RT"]) == 0
    assert "RT" in capsys.readouterr().out
    assert main(["check", str(f), "--default", "outletRT"]) == 2


def test_evaluate_unknown_task_and_missing_path(capsys, tmp_path):
    assert main(["evaluate", "no-such-task", str(tmp_path)]) == 2
    assert "unknown evaluation task" in capsys.readouterr().err
    assert main(["evaluate", "babe", str(tmp_path / "missing.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "framelens" in capsys.readouterr().out


def test_framelens_errors_print_their_message_and_exit_2(tmp_path, capsys, monkeypatch):
    """Every FramelensError (room subclasses included) is one line, no traceback."""
    import framelens.cli as cli
    from framelens.errors import ConfigError, CorpusError, FramelensError, WorkbookError

    for cls in (FramelensError, ConfigError, CorpusError, WorkbookError):

        def boom(args, cls=cls):
            raise cls(f"{cls.__name__}: fix the thing")

        monkeypatch.setitem(cli._COMMANDS, "check", boom)
        assert main(["check", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert err == f"framelens check: error: {cls.__name__}: fix the thing\n"


def test_misspelt_step_option_is_a_config_error_naming_the_step(tmp_path, capsys):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("options:\n  framing:\n    headline_weigth: 3\n")
    assert main(["analyze", str(SAMPLE), "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "framing" in err and "headline_weigth" in err and "Traceback" not in err


def test_bad_workbook_is_a_message_not_a_traceback(tmp_path, capsys):
    wb = tmp_path / "workbook.yaml"
    wb.write_text("jobs: []\n")
    assert main(["run", "--workbook", str(wb), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "jobs" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- output folders
# Tests may run as root, for whom chmod does not make a folder read-only: a read-only
# folder is simulated by making os.access report it unwritable; "under a file" and "an
# existing file" are real.
def _read_only(monkeypatch, folder):
    import os

    real = os.access

    def access(path, mode, *a, **kw):
        if str(path) == str(folder) and mode & os.W_OK:
            return False
        return real(path, mode, *a, **kw)

    monkeypatch.setattr(os, "access", access)


def _one_line_error(capsys, *needles):
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    for n in needles:
        assert n in err, err
    return err


@pytest.mark.parametrize("case", ["file", "under-file", "read-only", "inside-read-only"])
def test_run_out_that_cannot_be_written_is_one_line_exit_2(tmp_path, capsys, monkeypatch, case):
    wb = tmp_path / "workbook.yaml"
    (tmp_path / "n.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "x = 1",'
        ' "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4,'
        ' "nbformat_minor": 5}'
    )
    wb.write_text("jobs:\n  - {name: j, notebook: n.ipynb}\n")
    (tmp_path / "afile").write_text("x")
    ro = tmp_path / "ro"
    ro.mkdir()
    out = {
        "file": tmp_path / "afile",
        "under-file": tmp_path / "afile" / "reports",
        "read-only": ro,
        "inside-read-only": ro / "reports",
    }[case]
    if "read-only" in case:
        _read_only(monkeypatch, ro)
    assert main(["run", "--workbook", str(wb), "--out", str(out)]) == 2
    why = "file" if "file" in case else "read-only"
    _one_line_error(capsys, "framelens run: error: --out", why)
    assert not (tmp_path / "afile").is_dir() and not (ro / "reports").exists()


@pytest.mark.parametrize("case", ["file", "under-file", "read-only"])
def test_analyze_out_that_cannot_be_written_is_one_line_exit_2(tmp_path, capsys, monkeypatch, case):
    (tmp_path / "afile").write_text("x")
    ro = tmp_path / "ro"
    ro.mkdir()
    out = {"file": tmp_path / "afile", "under-file": tmp_path / "afile" / "t", "read-only": ro}
    if case == "read-only":
        _read_only(monkeypatch, ro)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("steps: []\nsentiment: false\n")
    args = ["analyze", str(SAMPLE), "--config", str(cfg), "--out", str(out[case])]
    assert main(args) == 2
    _one_line_error(capsys, "framelens analyze: error:", str(out[case]))


def test_analyze_refuses_a_non_empty_folder_unless_overwrite(tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("steps: []\nsentiment: false\n")
    args = ["analyze", str(SAMPLE), "--config", str(cfg), "--out", str(mine)]
    assert main(args) == 2
    _one_line_error(capsys, "--overwrite")
    assert main([*args, "--overwrite"]) == 0
    assert (mine / "notes.txt").read_text() == "keep me" and (mine / "manifest.json").exists()


def test_unreachable_dask_scheduler_is_one_line_exit_2(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a free local port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["analyze", str(SAMPLE), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"]
    assert main(args) == 2
    _one_line_error(capsys, "cannot reach the Dask scheduler", f"127.0.0.1:{port}")
    assert main(["analyze", str(SAMPLE), "--engine", "dask", "--scheduler", "nonsense"]) == 2
    _one_line_error(capsys, "not a Dask scheduler address")


# ----------------------------------------------------------------------------- check: coverage
def test_check_warns_which_reports_will_have_little_to_show(tmp_path, capsys):
    folder = tmp_path / "plain"
    folder.mkdir()
    for i, text in enumerate(
        [
            "Talks in Vienna\nThe ministers met in Vienna and agreed to meet again next month.",
            "Trade figures\nExports rose in the spring while imports fell slightly overall.",
        ]
    ):
        (folder / f"{i}.txt").write_text(text)
    assert main(["check", str(folder), "--focal", "SRB"]) == 0
    out = capsys.readouterr().out
    assert "reports with little to show" in out
    assert "no outlet column" in out and "--default outlet=NAME" in out
    assert "no dates" in out and "time series" in out
    assert "no mentions of the focal actor SRB" in out and "-p focal=CODE" in out
    assert main(["check", str(folder), "--default", "outlet=RT", "--focal", "SRB"]) == 0
    assert "one outlet only (RT): no keyness" in capsys.readouterr().out


def test_check_of_the_sample_with_its_config_warns_of_nothing(capsys):
    assert main(["check", str(SAMPLE), "--config", str(SAMPLE / "analysis.yaml")]) == 0
    assert "little to show" not in capsys.readouterr().out


def test_run_option_errors_are_one_line(tmp_path, capsys):
    for bad in (["-p", "focal"], ["--default", "outlet"]):
        assert main(["run", "--workbook", str(tmp_path / "none.yaml"), *bad]) == 2
        _one_line_error(capsys, "NAME=VALUE")


def test_title_line_option_reads_the_first_line_as_title(tmp_path, capsys):
    from framelens.cli import main

    folder = tmp_path / "arts"
    folder.mkdir()
    (folder / "a1.txt").write_text(
        "Talks in Belgrade\n\nThe talks in Belgrade went on for a long time and ended "
        "without any agreement between the two delegations.\n",
        encoding="utf-8",
    )
    out = tmp_path / "an"
    assert main(["analyze", str(folder), "--title-line", "--out", str(out)]) == 0
    import framelens

    an = framelens.Analysis.load(out)
    assert an.docs["title"].tolist() == ["Talks in Belgrade"]
    assert an.docs["text"].iloc[0].startswith("The talks")


def test_default_names_are_stripped_and_never_blank_as_in_run(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text("id,text\n1,The talks in Belgrade went on and ended without an agreement.\n")
    assert main(["check", str(f), "--default", "outlet =RT"]) == 0
    out = capsys.readouterr().out
    assert "RT       1" in out and "no outlet column" not in out
    assert main(["check", str(f), "--default", "=RT"]) == 2
    assert "--default takes NAME=VALUE, not '=RT'" in capsys.readouterr().err


def test_run_takes_the_corpus_reading_options(monkeypatch):
    import framelens.runner as runner

    seen = {}

    class Result:
        ok = True

        def summary(self):
            return "done"

    monkeypatch.setattr(runner, "run", lambda *a, **k: seen.update(k) or Result())
    args = ["run", "--corpus", "x.csv", "--text-col", "body", "--id-col", "id"]
    assert main([*args, "--outlet-col", "Source"]) == 0
    assert seen["read_options"] == {"text_col": "body", "id_col": "id", "outlet_col": "Source"}


def test_analyze_workers_must_be_positive(tmp_path, capsys):
    # before: --workers 0 was read as "no workers" and the error blamed engine='local'
    (tmp_path / "a.txt").write_text("The minister said the talks went well.")
    assert main(["analyze", str(tmp_path), "--workers", "0", "--out", str(tmp_path / "o")]) == 2
    assert "--workers takes a positive number of processes, not 0" in capsys.readouterr().err


def test_metadata_columns_named_otherwise_are_pointed_at_and_read(tmp_path, capsys):
    # before: 'Outlet' and 'Date' columns (as many exports spell them) gave "no outlet
    # column" / "no dates" with no word of the columns there, and no option could read them
    f = tmp_path / "x.csv"
    f.write_text("ID,Text,Outlet,Date\n1,The minister said the talks went well.,RT,2024-01-01\n")
    assert main(["check", str(f), "--text-col", "Text"]) == 0
    out = capsys.readouterr().out
    assert "the corpus has a column 'Outlet': read it with --outlet-col 'Outlet'" in out
    assert "read it with --date-col 'Date'" in out
    args = ["check", str(f), "--text-col", "Text", "--outlet-col", "Outlet", "--date-col", "Date"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 outlet, 2024-01-01 to 2024-01-01" in out and "no outlet column" not in out


def test_a_config_naming_a_missing_lexicon_is_an_error_naming_the_file(tmp_path, capsys):
    # before: check said nothing; analyze failed mid-way without naming the file
    (tmp_path / "a.txt").write_text("The minister said the talks went well.")
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("lexicons: [policy, nosuchlexicon]\n")
    for cmd in ("check", "analyze"):
        assert main([cmd, str(tmp_path / "a.txt"), "--config", str(cfg)]) == 2
        err = capsys.readouterr().err
        assert f"{cfg}: no built-in lexicon 'nosuchlexicon'" in err, err
