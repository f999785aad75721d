"""The coding room: oracles for alpha and kappa, a full coding round-trip on a fixture
analysis, bad sheets that fail loudly (file, row, column) and formula neutralisation."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from framelens import coding
from framelens.errors import CodingError
from framelens.stats.reliability import cohen_kappa

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers x 12 units
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
K2011_ALPHA = {"nominal": 0.743421, "ordinal": 0.815388, "interval": 0.849107}


def _k2011_codes():
    rows = []
    for c, coder in enumerate("ABCD"):
        for u in range(12):
            v = K2011[c][u]
            if not np.isnan(v):
                rows.append((f"u{u:02d}", coder, str(int(v))))
    return pd.DataFrame(rows, columns=["unit_id", "coder", "value"])


@pytest.mark.parametrize("level", sorted(K2011_ALPHA))
def test_alpha_matches_krippendorff_2011_through_the_codes_table(level):
    cb = coding.codebook(
        [{"variable": "v", "level": level, "values": [1, 2, 3, 4, 5], "definition": ""}]
    )
    codes = _k2011_codes().assign(variable="v")
    out = coding.agreement(codes, cb, n_boot=200, random_state=1)
    assert out.loc[0, "alpha"] == pytest.approx(K2011_ALPHA[level], abs=5e-7)
    assert out.loc[0, "alpha_lo"] <= out.loc[0, "alpha"] <= out.loc[0, "alpha_hi"]
    again = coding.agreement(codes, cb, n_boot=200, random_state=1)
    pd.testing.assert_frame_equal(out, again)  # the bootstrap is seeded


def test_kappa_oracles_of_methods_section_5():
    assert cohen_kappa([[20, 5], [10, 15]]) == pytest.approx(0.40, abs=1e-4)
    assert cohen_kappa([[0, 4, 1], [0, 8, 0], [0, 1, 5]]) == pytest.approx(0.4842, abs=1e-4)
    t = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    assert cohen_kappa(t, weights="linear") == pytest.approx(0.4701, abs=1e-4)


def test_pairwise_kappa_from_codes_equals_the_2x2_oracle():
    # 50 units: the table [[20, 5], [10, 15]] spelt out as two coders' codes
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    units = [f"u{i}" for i in range(50)]
    codes = pd.DataFrame(
        {"unit_id": units * 2, "coder": ["a"] * 50 + ["b"] * 50, "variable": "x", "value": a + b}
    )
    cb = coding.codebook([{"variable": "x", "level": "nominal", "values": ["y", "n"],
                           "definition": ""}])  # fmt: skip
    k = coding.pairwise_kappa(codes, cb, "x")
    assert k.loc[0, "kappa"] == pytest.approx(0.40, abs=1e-4)
    assert coding.agreement(codes, cb, n_boot=0).loc[0, "percent_agreement"] == 0.7


# ------------------------------------------------------------------ a fixture analysis
CODEBOOK = [
    {"variable": "bias", "level": "nominal", "values": ["biased", "neutral"],
     "definition": "Does the sentence use one-sided, loaded wording?"},
    {"variable": "tone", "level": "ordinal", "values": ["negative", "neutral", "positive"],
     "definition": "Tone of the sentence toward its main actor."},
]  # fmt: skip


def _analysis():
    texts = {
        "d1": "The brutal regime silenced critics. Officials met on Tuesday. =HYPERLINK(x)",
        "d2": "Ministers praised the deal. -5 percent was the forecast. Talks went on.",
        "d3": "Critics slammed the shameful plan. The vote was seven to two.",
    }
    docs = pd.DataFrame(
        {"doc_id": list(texts), "text": list(texts.values()), "title": ["A", "B", "C"],
         "outlet": ["X", "Y", "X"], "date": ["2024-01-01", "2024-02-01", "2024-03-01"]}
    )  # fmt: skip
    rows = []
    for d, t in texts.items():
        start = 0
        for k, s in enumerate(t.split(". ")):
            s = s if s.endswith((".", ")")) else s + "."
            rows.append((d, k, start, start + len(s), s))
            start += len(s) + 1
    sents = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", "text"])
    score = sents[["doc_id", "sent_id"]].assign(cue_density=np.arange(len(sents)) / 10)
    return {"docs": docs, "sentences": sents, "sentence_bias": score}


def _fill(path, coder, rule, out):
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    sheet[f"bias[{coder}]"] = [rule(t, i)[0] for i, t in enumerate(sheet["text"])]
    sheet[f"tone[{coder}]"] = [rule(t, i)[1] for i, t in enumerate(sheet["text"])]
    sheet.to_csv(out, index=False)
    return out


def test_round_trip_export_fill_import_agreement(tmp_path):
    cb = coding.codebook(CODEBOOK)
    res = coding.export(
        _analysis(), cb, tmp_path, kind="sentences", n=6, coders=["ann", "bob"],
        score="sentence_bias.cue_density", strata=("outlet", "score_bin", "date_bin"),
    )  # fmt: skip
    units = res["units"]
    assert len(units) == 6 and units["unit_id"].is_unique
    csv, cbcsv, xlsx = res["files"]
    header = list(pd.read_csv(csv, nrows=0).columns)
    assert header[:7] == ["row", "text", "context", "bias[ann]", "bias[bob]", "tone[ann]",
                          "tone[bob]"]  # fmt: skip
    assert header[7:] == ["unit_id", "unit_kind", "doc_id", "start", "end", "tool[bias]"]
    assert set(pd.read_csv(cbcsv)["variable"]) == {"bias", "tone"}
    # same sample for the same seed
    again = coding.export(_analysis(), cb, tmp_path / "again", n=6, coders=["ann", "bob"],
                          score="sentence_bias.cue_density",
                          strata=("outlet", "score_bin", "date_bin"))  # fmt: skip
    assert again["units"]["unit_id"].tolist() == units["unit_id"].tolist()

    def ann(text, i):
        loaded = any(w in text for w in ("brutal", "shameful", "slammed"))
        return ("biased" if loaded else "neutral", "negative" if loaded else "neutral")

    def bob(text, i):
        b, t = ann(text, i)
        return (b, "positive" if i == 0 else t)  # bob differs on one tone

    fa = _fill(csv, "ann", ann, tmp_path / "ann.csv")
    fb = _fill(csv, "bob", bob, tmp_path / "bob.csv")
    # each coder's file carries the other coder's blank columns: ignored, not an error
    codes = coding.import_codes([fa, fb], cb, units=units)
    assert list(codes.columns) == ["unit_id", "unit_kind", "doc_id", "start", "end", "coder",
                                   "variable", "value"]  # fmt: skip
    assert len(codes) == 6 * 2 * 2
    assert set(codes["coder"]) == {"ann", "bob"}
    merged = codes.merge(units[["unit_id", "start", "end"]], on="unit_id", suffixes=("", "_u"))
    assert (merged["start"] == merged["start_u"]).all() and (merged["end"] == merged["end_u"]).all()
    agr = coding.agreement(codes, cb, n_boot=100).set_index("variable")
    assert agr.loc["bias", "percent_agreement"] == 1.0
    assert agr.loc["tone", "percent_agreement"] == pytest.approx(5 / 6)
    dis = coding.disagreements(codes, units)
    assert dis["variable"].tolist() == ["tone"] and dis["text"].notna().all()
    # the tool as one more coder
    tool = units.assign(tool_bias=np.where(units["tool_value"] >= 0.5, "biased", "neutral"))
    tc = coding.tool_codes(tool, cb, variable="bias", column="tool_bias")
    ta = coding.tool_agreement(pd.concat([codes, tc], ignore_index=True), cb, n_boot=50)
    row = ta.set_index("variable").loc["bias"]
    assert row["alpha_coders"] == pytest.approx(1.0)
    assert row["tool_as_good"] in (True, False)


def test_xlsx_round_trip_hidden_columns_and_validation(tmp_path):
    from openpyxl import load_workbook

    cb = coding.codebook(CODEBOOK)
    res = coding.export(_analysis(), cb, tmp_path, n=4, coders=["ann"], strata=("outlet",))
    xlsx = res["files"][-1]
    wb = load_workbook(xlsx)
    ws = wb["coding"]
    assert wb.sheetnames == ["coding", "codebook"]
    head = [c.value for c in ws[1]]
    first_hidden = head.index("unit_id") + 1
    from openpyxl.utils import get_column_letter

    dims = ws.column_dimensions[get_column_letter(first_hidden)]
    assert dims.hidden and dims.outlineLevel == 1
    assert ws.data_validations.dataValidation  # drop-downs of allowed values
    for i, t in enumerate(res["units"]["text"], 2):
        ws.cell(i, head.index("bias[ann]") + 1, "biased" if "brutal" in t else "neutral")
        ws.cell(i, head.index("tone[ann]") + 1, "neutral")
    wb.save(tmp_path / "filled.xlsx")
    codes = coding.import_codes(tmp_path / "filled.xlsx", cb, units=res["units"])
    assert len(codes) == 8 and set(codes["variable"]) == {"bias", "tone"}


def test_formula_injection_is_neutralised_in_csv_and_xlsx(tmp_path):
    cb = coding.codebook(CODEBOOK)
    an = _analysis()
    res = coding.export(an, cb, tmp_path, n=100, coders=["ann"], strata=("outlet",))
    raw = (tmp_path / "coding_sheet.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(x)" in raw and "'-5 percent" in raw
    for line in raw.splitlines():
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "-", "@", "\t", "\r"))
    with zipfile.ZipFile(res["files"][-1]) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no cell is stored as a formula
    assert coding.read_sheet(tmp_path / "coding_sheet.csv")["text"].str.startswith("=").any()
    for v in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert coding.neutralise(v) == "'" + v and coding.unneutralise("'" + v) == v


def test_bad_sheet_lists_every_problem_with_file_row_and_column(tmp_path):
    cb = coding.codebook(CODEBOOK)
    res = coding.export(_analysis(), cb, tmp_path, n=5, coders=["ann"], strata=("outlet",))
    units = res["units"]
    sheet = pd.read_csv(res["files"][0], dtype=str, keep_default_na=False)
    sheet["bias[ann]"] = ["biased", "maybe", "neutral", "neutral", "biased"]  # row 3: bad value
    sheet["tone[ann]"] = ["neutral", "neutral", "", "positive", "negative"]  # row 4 blank
    sheet["stance[ann]"] = ["pro"] * 5  # unknown variable
    sheet.loc[4, "unit_id"] = "nope:s9"  # unknown unit (row 6), and its unit goes missing
    bad = tmp_path / "bad.csv"
    sheet.to_csv(bad, index=False)
    dup = tmp_path / "dup.csv"
    sheet.iloc[:1].drop(columns="stance[ann]").to_csv(dup, index=False)  # row 2 coded twice
    with pytest.raises(CodingError) as err:
        coding.import_codes([bad, dup], cb, units=units)
    msg = str(err.value)
    assert f"{bad}: row 3, column D 'bias[ann]': 'maybe' is not an allowed value" in msg
    assert f"{bad}: row 4, column E 'tone[ann]': left blank" in msg
    assert "column K 'stance[ann]': unknown variable 'stance'" in msg
    assert f"{bad}: row 6, column unit_id: unknown unit 'nope:s9'" in msg
    assert f"unit {units['unit_id'].iloc[4]!r} of the exported sample is missing" in msg
    first = units["unit_id"].iloc[0]
    assert f"unit {first!r} coded 2 times by 'ann' for 'bias'" in msg and str(dup) in msg
    assert msg.startswith("7 problem(s)")  # every one listed, nothing imported


def test_codebook_and_options_are_validated(tmp_path):
    with pytest.raises(CodingError, match="level must be one of"):
        coding.codebook([{"variable": "x", "level": "ratio", "values": [1, 2], "definition": ""}])
    with pytest.raises(CodingError, match="interval values must be numbers"):
        coding.codebook([{"variable": "x", "level": "interval", "values": ["a", "b"],
                          "definition": ""}])  # fmt: skip
    cb = coding.codebook(CODEBOOK)
    with pytest.raises(CodingError, match="unit kind must be one of"):
        coding.export(_analysis(), cb, tmp_path, kind="paragraphs")
    with pytest.raises(CodingError, match="unknown strata"):
        coding.sample_units(coding.units(_analysis(), "sentences"), n=2, strata=("topic",))
    with pytest.raises(CodingError, match="no 'quotes' table"):
        coding.units(_analysis(), "quotations")


def test_export_never_replaces_an_earlier_round_without_overwrite(tmp_path):
    cb = coding.codebook(CODEBOOK)
    res = coding.export(_analysis(), cb, tmp_path, n=3, coders=["ann"], strata=("outlet",))
    sheet = res["files"][0]
    sheet.write_text("row,bias[ann]\n1,biased\n", encoding="utf-8")  # a coder's work
    with pytest.raises(CodingError, match="already holds a coding round.*--overwrite"):
        coding.export(_analysis(), cb, tmp_path, n=3, coders=["ann"], strata=("outlet",))
    assert sheet.read_text(encoding="utf-8") == "row,bias[ann]\n1,biased\n"
    again = coding.export(_analysis(), cb, tmp_path, n=3, coders=["ann"], strata=("outlet",),
                          overwrite=True)  # fmt: skip
    assert "bias[ann]" in sheet.read_text(encoding="utf-8") and len(again["units"]) == 3
    (tmp_path / "file").write_text("x")
    with pytest.raises(CodingError, match="is a file"):
        coding.export(_analysis(), cb, tmp_path / "file", n=3, strata=("outlet",))


def test_units_file_is_neutralised_and_read_back(tmp_path):
    an = _analysis()
    an["docs"] = an["docs"].assign(outlet=["=HYPERLINK(x)", "+1+1", "=HYPERLINK(x)"])
    cb = coding.codebook(CODEBOOK)
    res = coding.export(an, cb, tmp_path, n=100, coders=["ann"], strata=("outlet",))
    raw = res["units_file"].read_text(encoding="utf-8")
    for line in raw.splitlines():
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "-", "@")), line
    units = coding.read_units(res["units_file"])
    assert set(units["outlet"]) == {"=HYPERLINK(x)", "+1+1"}
    assert units["unit_id"].tolist() == res["units"]["unit_id"].tolist()
    with pytest.raises(CodingError, match="no exported units"):
        coding.read_units(tmp_path / "nope.units.csv")


def test_sheet_saved_with_semicolons_is_read(tmp_path):
    cb = coding.codebook(CODEBOOK)
    res = coding.export(_analysis(), cb, tmp_path, n=3, coders=["ann"], strata=("outlet",))
    sheet = pd.read_csv(res["files"][0], dtype=str, keep_default_na=False)
    sheet = sheet.assign(**{"bias[ann]": "biased", "tone[ann]": "neutral"})
    sheet.to_csv(tmp_path / "semi.csv", index=False, sep=";", encoding="utf-8-sig")
    codes = coding.import_codes(tmp_path / "semi.csv", cb, units=res["units"])
    assert len(codes) == 6 and set(codes["value"]) == {"biased", "neutral"}


def test_read_codebook_takes_tool_mappings_and_names_the_file(tmp_path):
    p = tmp_path / "codebook.yaml"
    p.write_text(
        "variables:\n  - {variable: bias, level: nominal, values: [neutral, biased],\n"
        "     definition: Loaded, tool: sentence_bias.bias_score, cuts: [0.5]}\n"
    )
    cb, tools = coding.read_codebook(p)
    assert list(cb.columns) == ["variable", "level", "values", "definition"]
    assert tools == {"bias": {"tool": "sentence_bias.bias_score", "cuts": [0.5]}}
    for text, needle in [
        ("- {variable: x, level: nominal, values: [a, b], definition: d, tool: t.c}", "cuts"),
        ("- {variable: x, level: nominal, values: [a, b], definition: d, cuts: [1]}", "without"),
        ("- {variable: x, level: nominal, values: [a], definition: d}", "two allowed"),
        ("- [1, 2]", "entry 0 must be a mapping"),
        ("variables: 5", "YAML list"),
        ("- {variable: x, level: [", "cannot read"),
    ]:
        p.write_text(text)
        with pytest.raises(CodingError, match=needle) as err:
            coding.read_codebook(p)
        assert str(p) in str(err.value)


def test_control_characters_do_not_stop_the_xlsx_and_a_failed_export_leaves_nothing(
    tmp_path, monkeypatch
):
    # before: a vertical tab (a word processor's line break) in a text raised openpyxl's
    # IllegalCharacterError as a traceback, after the CSV sheets had been written
    from openpyxl import load_workbook

    from framelens.coding import exporting

    an = _analysis()
    an["sentences"] = an["sentences"].assign(text=lambda d: d["text"].str.replace(" ", "\x0b", n=1))
    cb = coding.codebook(CODEBOOK)
    res = coding.export(an, cb, tmp_path / "a", n=3, coders=["ann"], strata=("outlet",))
    texts = [r[1] for r in load_workbook(res["files"][-1])["coding"].iter_rows(values_only=True)]
    assert all("\x0b" not in t for t in texts[1:]) and "\x0b" in res["files"][0].read_text()

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(exporting, "write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        coding.export(an, cb, tmp_path / "b", n=3, coders=["ann"], strata=("outlet",))
    assert list((tmp_path / "b").iterdir()) == []  # no half round left to block the next
