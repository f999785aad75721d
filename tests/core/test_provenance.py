import hashlib

import pandas as pd

from framelens.core import provenance


def test_sha256_file_and_bytes(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    expected = hashlib.sha256(b"abc").hexdigest()
    assert provenance.sha256_file(f) == expected == provenance.sha256_bytes(b"abc")
    assert provenance.sha256_path(f) == expected


def test_folder_hash_depends_on_content_and_names_not_listing_order(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for d, order in ((a, ["x", "y"]), (b, ["y", "x"])):
        for name in order:
            (d / f"{name}.txt").write_text(name)
    assert provenance.sha256_path(a) == provenance.sha256_path(b)
    (b / "x.txt").write_text("changed")
    assert provenance.sha256_path(a) != provenance.sha256_path(b)
    (a / ".hidden").write_text("ignored")
    (a / "x.txt").write_text("changed")
    assert provenance.sha256_path(a) == provenance.sha256_path(b)


def test_stable_json_hash_ignores_key_order():
    assert provenance.stable_json_hash({"a": 1, "b": [1, 2]}) == provenance.stable_json_hash(
        {"b": [1, 2], "a": 1}
    )
    assert provenance.stable_json_hash({"a": 1}) != provenance.stable_json_hash({"a": 2})


def test_frame_hash_sees_values_and_dtypes():
    df = pd.DataFrame({"a": [1, 2], "b": ["x", None]})
    assert provenance.sha256_frame(df) == provenance.sha256_frame(df.copy())
    assert provenance.sha256_frame(df) != provenance.sha256_frame(df.assign(a=[1, 3]))
    assert provenance.sha256_frame(df) != provenance.sha256_frame(df.astype({"a": "float64"}))


def test_environment_lists_versions():
    env = provenance.environment()
    assert env["packages"]["pandas"] == pd.__version__
    assert env["packages"]["framelens"]


def test_analysis_fingerprint_leaves_out_report_code_only(tmp_path, monkeypatch):
    # editing a report module changes report keys, not the analysis key; editing a
    # measure changes both
    import shutil
    from pathlib import Path

    import framelens
    from framelens.core import provenance

    pkg = tmp_path / "framelens"
    shutil.copytree(Path(framelens.__file__).parent, pkg)
    fake = pkg / "core" / "provenance.py"
    monkeypatch.setattr(provenance, "__file__", str(fake))

    def prints():
        provenance._fingerprint.cache_clear()
        provenance._package_files.cache_clear()
        return provenance.package_fingerprint(), provenance.package_fingerprint(analysis=True)

    whole, analysis = prints()
    with open(pkg / "report" / "corpus.py", "a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    whole2, analysis2 = prints()
    assert whole2 != whole and analysis2 == analysis
    with open(pkg / "measures" / "mentions.py", "a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    whole3, analysis3 = prints()
    assert whole3 != whole2 and analysis3 != analysis2
    provenance._fingerprint.cache_clear()
    provenance._package_files.cache_clear()
