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
