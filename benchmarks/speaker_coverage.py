"""Speaker coverage of the text layer on a folder of plain-text articles (no gold needed).

Usage::

    PYTHONPATH=lib python benchmarks/speaker_coverage.py FOLDER [--system model rules]

For each attribution system: the number of quote rows, the share without a speaker
(all rows and per kind), the number of rows whose speaker is a pronoun (0 with the
model: pronouns are resolved or left without a speaker; "US", the country, is no
pronoun) and the speaker types. The SemEval-2023 frames articles (``articles/*.txt``)
give the figure of docs/validation.md.
"""

from __future__ import annotations

import argparse
import json
import pathlib

import pandas as pd

from framelens import text
from framelens.text.entities import PRONOUN_SOURCES


def coverage(docs: pd.DataFrame, system: str) -> dict:
    """Speaker coverage of ``text.process(docs, attribution=system)``."""
    q = text.process(docs, attribution=system)["quotes"]
    none = q["speaker"].isna()
    kinds = q["kind"].astype(str)
    spk = q["speaker"].dropna().astype(str)
    pron = [s.lower() in PRONOUN_SOURCES and (s == "I" or not s.isupper()) for s in spk]  # "US"
    out = {
        "system": system,
        "n_docs": len(docs),
        "n_quotes": len(q),
        "no_speaker": round(float(none.mean()), 3) if len(q) else None,
        "no_speaker_by_kind": {
            k: round(float(none[kinds == k].mean()), 3) for k in sorted(set(kinds))
        },
        "pronoun_speakers": int(sum(pron)),
    }
    if "speaker_type" in q.columns:
        out["speaker_types"] = {
            str(k): int(v) for k, v in q["speaker_type"].value_counts(dropna=False).items()
        }
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--system", nargs="+", default=["model", "rules"])
    a = ap.parse_args(argv)
    paths = sorted(pathlib.Path(a.folder).rglob("*.txt"))
    docs = pd.DataFrame(
        {"doc_id": [p.stem for p in paths], "text": [p.read_text(encoding="utf-8") for p in paths]}
    )
    for system in a.system:
        print(json.dumps(coverage(docs, system)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
