"""Sanity checks of the bundled sample corpus (data/sample) itself.

These tests check the *data*, not framelens measures: the metadata matches the files,
the real article is verbatim, and the planted differences documented in
data/sample/planted.yaml are really in the texts, counted with simple regular
expressions (reporting verb -> nearest speaker alias on the same line).
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
ARTICLES = SAMPLE / "articles"
SEED = Path("/work/shared/seed/000_fbaa5b5f07ee96ab.txt")
REAL_FILE = "000_fbaa5b5f07ee96ab.txt"
COLUMNS = ["file", "doc_id", "title", "outlet", "date", "url", "language"]
SYNTHETIC = ["Danube Herald", "Meridian Wire", "Europa Monitor"]

# direct quotations closed on the same line, straight or curly
_QUOTE = re.compile(r'"[^"\n]*"|“[^”\n]*”')
_PRONOUN_BEFORE = re.compile(r"\b(?:he|she)\s*$", re.IGNORECASE)


@pytest.fixture(scope="module")
def meta() -> list[dict[str, str]]:
    with open(SAMPLE / "metadata.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.fixture(scope="module")
def planted() -> dict:
    with open(SAMPLE / "planted.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def texts(meta) -> dict[str, tuple[str, str]]:
    """file name -> (outlet, text)."""
    return {
        r["file"]: (r["outlet"], (ARTICLES / r["file"]).read_text(encoding="utf-8")) for r in meta
    }


def _author_voice(text: str) -> str:
    """Blank out closed direct quotations (same length, offsets kept)."""
    return _QUOTE.sub(lambda m: " " * len(m.group()), text)


def _alternation(terms) -> re.Pattern:
    alts = sorted({re.escape(t) for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b")


def _attributions(texts, planted) -> dict[tuple[str, str], collections.Counter]:
    """(outlet, camp) -> Counter of verb classes, by nearest speaker alias.

    A reporting verb is attached to the closest alias on the same line within
    `sanity.max_speaker_distance` characters; "he"/"she" right before the verb
    resolves to the last alias before it in the document.
    """
    verb_class = {v.lower(): c for c, vs in planted["verb_classes"].items() for v in vs}
    alias_camp = {a: s["camp"] for s in planted["speakers"] for a in s["aliases"]}
    verb_re = re.compile(_alternation(verb_class).pattern, re.IGNORECASE)
    alias_re = _alternation(alias_camp)
    max_d = planted["sanity"]["max_speaker_distance"]
    out: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for outlet, text in texts.values():
        aliases = [(m.start(), m.end(), alias_camp[m.group()]) for m in alias_re.finditer(text)]
        for v in verb_re.finditer(text):
            cls = verb_class[v.group().lower()]
            if _PRONOUN_BEFORE.search(text[max(0, v.start() - 5) : v.start()]):
                before = [c for s, e, c in aliases if e <= v.start()]
                if before:
                    out[(outlet, before[-1])][cls] += 1
                continue
            best = None
            for s, e, camp in aliases:
                if e <= v.start():
                    d, gap = v.start() - e, text[e : v.start()]
                elif s >= v.end():
                    d, gap = s - v.end(), text[v.end() : s]
                else:
                    continue
                if "\n" not in gap and d <= max_d and (best is None or d < best[0]):
                    best = (d, camp)
            if best is not None:
                out[(outlet, best[1])][cls] += 1
    return out


@pytest.fixture(scope="module")
def attributions(texts, planted):
    return _attributions(texts, planted)


# ---------------------------------------------------------------- files and metadata


def test_every_file_has_a_row_and_every_row_a_file(meta):
    files = sorted(p.name for p in ARTICLES.glob("*.txt"))
    rows = sorted(r["file"] for r in meta)
    assert files == rows
    assert len(rows) == len(set(rows))


def test_doc_ids_unique_and_match_file_stems(meta):
    ids = [r["doc_id"] for r in meta]
    assert len(ids) == len(set(ids))
    assert all(r["doc_id"] == Path(r["file"]).stem for r in meta)
    assert all(r["title"].strip() for r in meta)
    assert {r["language"] for r in meta} == {"en"}


def test_dates_parse_and_span_about_a_year(meta):
    dates = [dt.date.fromisoformat(r["date"]) for r in meta]
    assert min(dates) >= dt.date(2023, 11, 1)
    assert max(dates) <= dt.date(2024, 10, 31)
    assert 300 <= (max(dates) - min(dates)).days <= 366


def test_outlets_and_counts(meta, planted):
    counts = collections.Counter(r["outlet"] for r in meta)
    assert set(counts) == set(SYNTHETIC) | {"RT"}
    assert counts["RT"] == 1
    assert sum(counts[o] for o in SYNTHETIC) >= 20
    for o in SYNTHETIC:
        assert counts[o] == planted["outlets"][o]["n_articles"]


def test_real_article_row(meta):
    (row,) = [r for r in meta if r["file"] == REAL_FILE]
    assert row["doc_id"] == "000_fbaa5b5f07ee96ab"
    assert row["outlet"] == "RT"
    assert row["date"] == "2024-10-20"  # 80th anniversary of 20 Oct 1944 (inferred)
    assert row["url"] == ""


def test_synthetic_file_names_and_urls(meta, planted):
    name_re = re.compile(r"^(\d{3})_([a-z-]+)_(\d{8})\.txt$")
    for r in meta:
        if r["outlet"] == "RT":
            continue
        m = name_re.match(r["file"])
        assert m, r["file"]
        slug = planted["outlets"][r["outlet"]]["slug"]
        assert m.group(2) == slug
        assert m.group(3) == r["date"].replace("-", "")
        assert r["url"].startswith(f"https://example.org/{slug}/"), r["url"]


def test_synthetic_articles_are_short_utf8_paragraphs(texts):
    for name, (outlet, text) in texts.items():
        if outlet == "RT":
            continue
        n = len(text.split())
        assert 150 <= n <= 350, (name, n)
        assert "\r" not in text and "\n\n" not in text and text.endswith("\n"), name
        assert text.count("\n") >= 5, name


def test_real_article_is_byte_identical_to_seed():
    if not SEED.exists():
        pytest.skip(f"seed not available at {SEED}")
    assert (ARTICLES / REAL_FILE).read_bytes() == SEED.read_bytes()


def test_documented_flaws_are_where_planted_says(texts, planted):
    for flaw in planted["flaws"]:
        text = texts[flaw["file"]][1]
        span = text[flaw["start"] : flaw["end"]]
        if flaw["code"] == "stray_quote":
            assert span == '"' and text[flaw["start"] - 4 : flaw["start"]] == "1944"
        elif flaw["code"] == "typo":
            assert span == "kmarsome"
        elif flaw["code"] == "nonstandard_word":
            assert span == "longly"
        elif flaw["code"] == "factual_error":
            assert "2019" in span and "Korea" in span
        elif flaw["code"] == "unbalanced_quote":
            # opens a quote and the paragraph ends without closing it
            assert span.startswith('"') and text[flaw["end"]] == "\n"
            assert span.count('"') == 1
        else:  # pragma: no cover - a new flaw code needs a check here
            pytest.fail(f"unknown flaw code {flaw['code']}")


def test_surface_variety_for_the_text_layer(texts):
    synth = {n: t for n, (o, t) in texts.items() if o != "RT"}
    assert sum("“" in t for t in synth.values()) >= 3  # curly quotes
    assert sum('"' in t for t in synth.values()) >= 10  # straight quotes
    assert sum(bool(re.search("[čćšžđ]", t)) for t in synth.values()) >= 5  # diacritics
    joined = "\n".join(synth.values())
    for needle in (
        "Mr. ",
        "Dr. ",
        "U.S. ",
        "according to",
        "the Kremlin",
        "Brussels",
        "Kyiv",
        "Washington",
    ):
        assert needle in joined, needle


# ---------------------------------------------------------------- planted differences


def test_reporting_verb_class_per_camp_matches_planted(attributions, planted):
    min_pairs = planted["sanity"]["min_pairs_per_camp"]
    checked = 0
    for outlet in SYNTHETIC:
        expected = planted["outlets"][outlet]["verb_class_by_camp"]
        for camp, cls in expected.items():
            counts = attributions.get((outlet, camp), collections.Counter())
            if sum(counts.values()) < min_pairs:
                continue
            assert counts.most_common(1)[0][0] == cls, (outlet, camp, dict(counts))
            checked += 1
    assert checked >= 14  # the main camps of all three outlets are really checked


def test_dominant_verb_class_and_wire_share(attributions, planted):
    for outlet in SYNTHETIC:
        total = collections.Counter()
        for (o, _), c in attributions.items():
            if o == outlet:
                total.update(c)
        spec = planted["outlets"][outlet]
        assert total.most_common(1)[0][0] == spec["dominant_verb_class"], (outlet, dict(total))
        if "min_share_dominant_verb_class" in spec:
            share = total[spec["dominant_verb_class"]] / sum(total.values())
            assert share >= spec["min_share_dominant_verb_class"], (outlet, share)


def test_guilt_implying_verbs_only_in_eu_leaning_outlet(attributions):
    guilt = {
        o: sum(c["guilt_implying"] for (oo, _), c in attributions.items() if oo == o)
        for o in SYNTHETIC
    }
    assert guilt["Europa Monitor"] >= 10
    assert guilt["Danube Herald"] == 0 and guilt["Meridian Wire"] == 0


def test_sourcing_shares_match_planted(attributions, planted):
    for outlet in SYNTHETIC:
        per_camp = collections.Counter(
            {camp: sum(c.values()) for (o, camp), c in attributions.items() if o == outlet}
        )
        n = sum(per_camp.values())
        spec = planted["outlets"][outlet]["sourcing"]
        if spec.get("balanced"):
            assert max(per_camp.values()) / n <= spec["max_share_single_camp"], dict(per_camp)
        else:
            share = sum(per_camp[c] for c in spec["dominant_camps"]) / n
            assert share >= spec["min_share_dominant_camps"], (outlet, share, dict(per_camp))


def _author_rate(texts, outlet, patterns) -> float:
    rx = re.compile("|".join(patterns), re.IGNORECASE)
    hits = words = 0
    for o, text in texts.values():
        if o == outlet:
            hits += len(rx.findall(_author_voice(text)))
            words += len(text.split())
    return 1000 * hits / words


def test_neutrality_discourse_voice(texts, planted):
    s = planted["sanity"]
    neutral = {o: _author_rate(texts, o, s["neutrality_cues"]) for o in SYNTHETIC}
    questioning = {
        o: _author_rate(texts, o, [re.escape(c) for c in s["questioning_cues"]]) for o in SYNTHETIC
    }
    # the wire never uses neutrality words in its own voice, but does quote them
    assert neutral["Meridian Wire"] == 0
    wire_all = "".join(t for o, t in texts.values() if o == "Meridian Wire")
    assert re.search("|".join(s["neutrality_cues"]), wire_all)
    # state style asserts it, EU-leaning style questions it, in the author's voice
    assert neutral["Danube Herald"] > neutral["Europa Monitor"] > 0
    assert questioning["Danube Herald"] == 0 and questioning["Meridian Wire"] == 0
    assert questioning["Europa Monitor"] >= 1.0  # per 1,000 words


def test_tone_cues_in_author_voice(texts, planted):
    s = planted["sanity"]
    anti_west = {o: _author_rate(texts, o, s["anti_west_cues"]) for o in SYNTHETIC}
    anti_russia = {o: _author_rate(texts, o, s["anti_russia_cues"]) for o in SYNTHETIC}
    assert anti_west["Danube Herald"] > 2 * max(
        anti_west["Europa Monitor"], anti_west["Meridian Wire"]
    )
    assert anti_russia["Europa Monitor"] > 2 * max(
        anti_russia["Danube Herald"], anti_russia["Meridian Wire"]
    )
    assert anti_russia["Meridian Wire"] == 0


def test_planted_outlets_cover_metadata(meta, planted):
    assert set(planted["outlets"]) == {r["outlet"] for r in meta}
    camps = set(planted["camps"])
    assert {s["camp"] for s in planted["speakers"]} <= camps
    for o in SYNTHETIC:
        assert set(planted["outlets"][o]["verb_class_by_camp"]) <= camps
        assert set(planted["outlets"][o]["verb_class_by_camp"].values()) <= set(
            planted["verb_classes"]
        )


def test_sample_loads_through_framelens_without_errors(meta, planted):
    corpus_mod = pytest.importorskip("framelens.corpus")
    corpus = corpus_mod.load_corpus(SAMPLE)
    docs, problems = corpus.docs, corpus.problems
    assert len(docs) == len(meta)
    assert docs["outlet"].notna().all() and docs["date"].notna().all()
    assert sorted(docs["doc_id"].astype(str).tolist()) == sorted(r["doc_id"] for r in meta)
    assert not (problems["severity"].astype(str) == "error").any(), problems.to_string()
    # both documented unbalanced quotation marks are reported as warnings
    flagged = " ".join(problems["record"].astype(str).tolist())
    for flaw in planted["flaws"]:
        if flaw["code"] in ("stray_quote", "unbalanced_quote"):
            assert flaw["file"] in flagged, flaw["file"]
