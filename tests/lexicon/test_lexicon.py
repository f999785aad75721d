"""Tests of framelens.lexicon: formats, hashing, matching semantics, match() and count().

Expected offsets are computed by hand and stated in the comments (0-based, end exclusive).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import FIXTURES
from framelens import lexicon as L
from framelens.core import schema
from framelens.core.normalize import translate
from framelens.lexicon import matching as LM
from framelens.lexicon import regexes as LR

FIX = FIXTURES / "lexicons"


def lex(categories, name="t"):
    return L.Lexicon.from_dict({"name": name, "categories": categories})


def spans(matcher, text):
    """(start, end, category, term, surface) of Matcher.find, for readable asserts."""
    st, en, pid = matcher.find(text)
    p = matcher.patterns
    return [
        (int(a), int(b), str(p.category[i]), str(p.term[i]), text[a:b])
        for a, b, i in zip(st, en, pid)
    ]


# --------------------------------------------------------------------------- data model
def test_pattern_kinds_are_inferred_from_strings():
    assert L.parse_pattern("war") == L.Pattern("war", "word")
    assert L.parse_pattern("sanction*") == L.Pattern("sanction*", "glob")
    # internal whitespace runs fold to one space
    assert L.parse_pattern("trade \n deal") == L.Pattern("trade deal", "phrase")
    assert L.parse_pattern("trade sanction*").kind == "phrase"
    assert L.parse_pattern({"term": "tariff", "weight": 2}) == L.Pattern("tariff", "word", 2.0)
    assert L.parse_pattern({"regex": r"\d+"}).kind == "regex"


@pytest.mark.parametrize(
    "spec, msg",
    [
        ("sanc*tion", "trailing"),
        ("*ism", "trailing"),
        ("a* b", "last word"),
        ("*", "lone"),
        ({"term": "x", "regex": "y"}, "exactly one"),
        ({"term": "x", "wieght": 2}, "unknown key"),
        ({"term": "x", "weight": "heavy"}, "not a number"),
        ({"regex": "(unclosed"}, "invalid regular expression"),
        ({"term": "war*", "kind": "word"}, "is a glob"),
        (["list"], "string or a mapping"),
    ],
)
def test_bad_patterns_raise_clear_errors(spec, msg):
    with pytest.raises(L.LexiconError, match=msg):
        L.parse_pattern(spec)


def test_terms_and_to_frame():
    lx = lex({"A": ["war", "cost*"], "B": ["war"]})
    assert lx.terms() == ["war", "cost*", "war"]
    assert lx.terms("B") == ["war"]
    df = L.to_frame(lx)
    assert list(df.columns) == ["lexicon", "category", "term", "kind", "weight"]
    assert df["kind"].astype(str).tolist() == ["word", "glob", "word"]
    with pytest.raises(KeyError, match="categories: A, B"):
        lx.terms("C")


# --------------------------------------------------------------------------- loaders
def test_load_project_yaml():
    lx = L.load(FIX / "mini.yaml")
    assert lx.name == "mini" and lx.version == "0.1" and lx.licence == "CC0-1.0"
    assert lx.citations == ("Test citation 2024.",)
    assert list(lx.categories) == ["Conflict", "Economy"]
    c = lx.categories["Conflict"]
    assert c.description == "fighting words"
    assert c.patterns == (
        L.Pattern("war", "word"),
        L.Pattern("sanction*", "glob"),
        L.Pattern("armed conflict", "phrase", 2.0),
    )
    assert lx.categories["Economy"].patterns[2] == L.Pattern(r"\b\d+ billion\b", "regex", 0.5)


def test_load_csv():
    lx = L.load(FIX / "mini.csv")
    assert lx.name == "mini"
    assert list(lx.categories) == ["Conflict", "Economy"]
    assert lx.categories["Conflict"].patterns == (
        L.Pattern("war", "word"),
        L.Pattern("sanction*", "glob", 1.5),
    )
    # an empty weight cell means 1.0
    assert lx.categories["Economy"].patterns == (
        L.Pattern("trade deal", "phrase"),
        L.Pattern("war", "word", 0.5),
    )


def test_load_quanteda_yaml_flattens_nested_keys():
    lx = L.load(FIX / "mini_quanteda.yml")
    assert list(lx.categories) == ["conflict", "economy.trade", "economy.money"]
    assert lx.terms("economy.trade") == ["trade deal", "tariff*"]
    assert lx.categories["economy.money"].patterns == (L.Pattern("cost*", "glob"),)


def test_load_liwc_dic():
    lx = L.load(FIX / "mini.dic")
    assert list(lx.categories) == ["posemo", "negemo", "unused"]
    assert lx.terms("posemo") == ["happy", "bitter*"]
    assert lx.terms("negemo") == ["hate*", "bitter*", "not good"]
    assert lx.terms("unused") == []  # kept: counts show it at zero
    m = L.Matcher(lx)
    # "Bitter" (0..6) is in posemo and negemo: one row per category
    assert [(s[0], s[1], s[2]) for s in spans(m, "Bitter, not good.")] == [
        (0, 6, "posemo"),
        (0, 6, "negemo"),
        (8, 16, "negemo"),
    ]


def test_builtin_names_and_unknown_name():
    names = L.available()
    assert names == sorted(names)
    for name in names:
        assert L.load(name).name == name
    with pytest.raises(L.LexiconError, match="Built-in lexicons"):
        L.load("no_such_lexicon_xyz")


def test_dump_round_trip(tmp_path):
    lx = L.load(FIX / "mini.yaml")
    back = L.load(L.dump(lx, tmp_path / "copy.yaml"))
    assert back == lx
    assert back.hash == lx.hash


@pytest.mark.parametrize(
    "fname, where, msg",
    [
        ("bad_glob.yaml", "bad_glob.yaml:6", "trailing"),  # `- sanc*tion` is on line 6
        ("bad_syntax.yaml", "bad_syntax.yaml:", "YAML syntax error"),
        ("bad_category_key.yaml", "bad_category_key.yaml:5", "'description' and 'patterns'"),
        ("bad_row.csv", "bad_row.csv:3", "term,category"),  # "peace" without category
        ("bad_number.dic", "bad_number.dic:5", "number 7"),  # "sad<TAB>7", header has 1 only
        ("bad_header.dic", "bad_header.dic:1", "starts with a line '%'"),
    ],
)
def test_malformed_files_name_file_line_and_fix(fname, where, msg):
    with pytest.raises(L.LexiconError) as exc:
        L.load(FIX / fname)
    assert where in str(exc.value)
    assert msg in str(exc.value)


def test_unknown_extension_and_missing_file(tmp_path):
    p = tmp_path / "lex.json"
    p.write_text("{}")
    with pytest.raises(L.LexiconError, match="format="):
        L.load(p)
    with pytest.raises(L.LexiconError, match="no such lexicon file"):
        L.load(tmp_path / "missing.yaml")
    with pytest.raises(L.LexiconError, match="unknown format"):
        L.load(FIX / "mini.yaml", format="xml")


# --------------------------------------------------------------------------- hash
def test_hash_ignores_key_order_formatting_and_source():
    a = L.load(FIX / "mini.yaml")
    b = L.load(FIX / "mini_reordered.yaml")
    assert a.source != b.source
    assert a.hash == b.hash
    assert len(a.hash) == 64
    assert a == b and len({a, b}) == 1  # equal content: equal and one set element


def test_misspelt_top_level_key_warns_and_license_is_accepted(tmp_path):
    p = tmp_path / "w.yaml"
    p.write_text("name: w\ncitation: [x]\nlicense: MIT\ncategories:\n  A: [war]\n")
    with pytest.warns(UserWarning, match=r"w.yaml:2: unknown key 'citation'; did you mean"):
        lx = L.load(p)
    assert lx.licence == "MIT" and lx.meta == {"citation": ["x"]}


def test_hash_changes_with_content():
    base = {"name": "h", "version": "1", "categories": {"A": ["war"]}}
    h0 = L.Lexicon.from_dict(base).hash
    assert L.Lexicon.from_dict({**base, "version": "2"}).hash != h0
    assert L.Lexicon.from_dict({**base, "categories": {"A": ["wars"]}}).hash != h0
    assert (
        L.Lexicon.from_dict({**base, "categories": {"A": [{"term": "war", "weight": 2}]}}).hash
        != h0
    )
    assert L.Lexicon.from_dict({**base, "categories": {"B": ["war"]}}).hash != h0
    assert L.Lexicon.from_dict(dict(base)).hash == h0


# --------------------------------------------------------------------------- matching
def test_word_boundaries_and_globs():
    m = L.Matcher(lex({"S": ["sanction*"], "W": ["war"]}))
    text = "Sanctions, sanctioned; unsanctioned award war."
    # Sanctions 0..9, sanctioned 11..21, unsanctioned 23..35 (no), award 36..41 (no),
    # war 42..45
    assert spans(m, text) == [
        (0, 9, "S", "sanction*", "Sanctions"),
        (11, 21, "S", "sanction*", "sanctioned"),
        (42, 45, "W", "war", "war"),
    ]
    assert spans(m, "warfare, wars") == []  # a word pattern needs the whole word


def test_glob_stops_at_punctuation_and_matches_bare_prefix():
    m = L.Matcher(lex({"S": ["sanction*"]}))
    # "sanction" 0..8 (the prefix itself), "Sanctions" 9..18 then "-" ends the word
    assert [s[:2] for s in spans(m, "sanction Sanctions-related")] == [(0, 8), (9, 18)]


def test_control_characters_are_boundaries():
    m = L.Matcher(lex({"W": ["war"]}))
    # NUL is also the matcher's document separator internally: war 0..3 and 4..7
    assert [s[:2] for s in spans(m, "war\x00war")] == [(0, 3), (4, 7)]
    assert [s[:2] for s in spans(m, "\x01war\x02")] == [(1, 4)]


def test_possessive_and_hyphen_are_boundaries():
    m = L.Matcher(lex({"A": ["serbia", "russian"]}))
    # Serbia 0..6 (then 's); Russian 13..20 after "pro-"
    assert [s[:2] for s in spans(m, "Serbia's pro-Russian turn")] == [(0, 6), (13, 20)]


def test_leftmost_longest_within_a_lexicon():
    m = L.Matcher(lex({"EU": ["European Union"], "U": ["Union"]}))
    # "the European Union and the Union": European Union 4..18; the inner Union is
    # covered; the second Union 27..32
    assert [s[:3] for s in spans(m, "the European Union and the Union")] == [
        (4, 18, "EU"),
        (27, 32, "U"),
    ]


def test_leftmost_wins_and_later_non_overlapping_matches_survive():
    m = L.Matcher(lex({"A": ["prime minister", "minister of defence", "defence"]}))
    # prime minister 0..14 chosen; "minister of defence" 6..25 overlaps it (dropped);
    # "defence" 18..25 does not overlap the chosen span, so it is kept
    assert [s[:2] for s in spans(m, "prime minister of defence")] == [(0, 14), (18, 25)]


def test_term_in_two_categories_gives_one_row_per_category():
    m = L.Matcher(lex({"A": ["sanction*", "sanctions"], "B": ["sanctions"]}))
    # same span 0..9: category A once (its first pattern, "sanction*"), category B once
    assert spans(m, "Sanctions") == [
        (0, 9, "A", "sanction*", "Sanctions"),
        (0, 9, "B", "sanctions", "Sanctions"),
    ]


def test_lexicons_are_independent():
    m = L.Matcher([lex({"EU": ["European Union"]}, name="one"), lex({"U": ["Union"]}, name="two")])
    st, en, pid = m.find("the European Union")
    # one: 4..18; two: 13..18 (overlaps, but in another lexicon)
    assert list(zip(st.tolist(), en.tolist(), m.patterns.lexicon[pid].astype(str))) == [
        (4, 18, "one"),
        (13, 18, "two"),
    ]
    with pytest.raises(L.LexiconError, match="given twice"):
        L.Matcher([lex({"A": ["a"]}, name="x"), lex({"B": ["b"]}, name="x")])


def test_diacritics_fold_both_ways_with_original_offsets():
    m1 = L.Matcher(lex({"P": ["Vučić"]}))
    # "Vucic" 4..9 in "Mr. Vucic said"
    assert spans(m1, "Mr. Vucic said") == [(4, 9, "P", "Vučić", "Vucic")]
    m2 = L.Matcher(lex({"P": ["vucic"]}))
    # "Aleksandar " is 11 characters: Vučić 11..16, the curly ’s after it is outside
    assert spans(m2, "Aleksandar Vučić’s visit") == [(11, 16, "P", "vucic", "Vučić")]
    assert spans(m2, "VUČIĆ") == [(0, 5, "P", "vucic", "VUČIĆ")]


def test_phrases_and_whitespace():
    m = L.Matcher(lex({"T": ["trade deal", "trade sanction*"]}))
    assert [s[:2] for s in spans(m, "a Trade Deal")] == [(2, 12)]
    assert [s[:2] for s in spans(m, "trade\ndeal")] == [(0, 10)]  # one newline: yes
    assert spans(m, "trade  deal") == []  # two spaces: no
    assert spans(m, "trade, deal") == []  # punctuation: no
    assert spans(m, "trade dealer") == []
    # phrase with glob last word: "trade sanctions" 0..15, extended to the word end
    assert [s[:2] for s in spans(m, "trade sanctions.")] == [(0, 15)]


def test_inner_punctuation_must_match_exactly():
    m = L.Matcher(lex({"A": ["U.S.", "pro-Russian", "$"]}))
    # U.S. 4..8; "U-S-" no; pro-Russian 13..24; "pro Russian" no; "$" 31..32
    text = "The U.S. and pro-Russian, U-S- $5 pro Russian"
    assert [(s[0], s[1], s[4]) for s in spans(m, text)] == [
        (4, 8, "U.S."),
        (13, 24, "pro-Russian"),
        (31, 32, "$"),
    ]


def test_regex_patterns_run_on_folded_text():
    m = L.Matcher(lex({"N": [{"regex": r"\b\d+ billion\b", "weight": 0.5}, "euros"]}))
    # "5 billion" 8..17, "euros" 18..23
    assert [s[:2] for s in spans(m, "It cost 5 billion euros")] == [(8, 17), (18, 23)]
    m2 = L.Matcher(lex({"P": [{"regex": r"vucic(?:'s)?"}]}))  # folded: lower, no diacritics
    assert [s[4] for s in spans(m2, "Vučić’s aide")] == ["Vučić’s"]
    m3 = L.Matcher(lex({"P": [{"regex": "Vucic"}]}))  # upper-case literal: IGNORECASE
    assert [s[4] for s in spans(m3, "VUČIĆ")] == ["VUČIĆ"]


def test_regex_leading_word_boundary_and_alternation():
    # the engine strips a leading \b for speed and checks it after the search
    m = L.Matcher(lex({"W": [{"regex": r"\bwar\w*"}]}))
    # "award" 0..5 has "war" inside (no boundary); "warfare" 6..13 matches
    assert [s[:2] for s in spans(m, "award warfare")] == [(6, 13)]
    # a rejected candidate must not hide a valid match that starts inside it:
    # "rewar war" - the candidate at 2 ("war war") is rejected, "war" at 6 is found
    m2 = L.Matcher(lex({"W": [{"regex": r"\bwar(?: war)?"}]}))
    assert [s[:2] for s in spans(m2, "rewar war")] == [(6, 9)]
    # a top-level alternation: the \b binds the first branch only
    m3 = L.Matcher(lex({"A": [{"regex": r"\bab|cd"}]}))
    assert [s[4] for s in spans(m3, "xab xcd ab")] == ["cd", "ab"]


def test_matcher_patterns_table_and_empty_text():
    m = L.Matcher(L.load(FIX / "mini.yaml"))
    assert list(m.patterns.columns) == [
        "pattern_id",
        "lexicon",
        "category",
        "term",
        "kind",
        "weight",
    ]
    assert len(m.patterns) == 6
    st, en, pid = m.find("")
    assert st.size == en.size == pid.size == 0
    assert st.dtype == np.int64


# --------------------------------------------------------------------------- match()
def _docs(texts):
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})


def test_match_schema_and_term_as_written():
    docs = _docs(["War costs money; the trade deal.", "Sanctions cost 3 billion."])
    out = L.match(docs, L.load(FIX / "mini.yaml"))
    assert list(out.columns) == list(schema.MATCH_COLUMNS)
    for c in ("lexicon", "category", "voice"):
        assert isinstance(out[c].dtype, pd.CategoricalDtype)
    assert out["sent_id"].dtype == np.int32
    # d0: War 0..3, costs 4..9, trade deal 21..31; d1: Sanctions 0..9, cost 10..14,
    # "3 billion" 15..24 (regex, weight 0.5)
    assert out[["doc_id", "start", "end", "term"]].astype(str).values.tolist() == [
        ["d0", "0", "3", "war"],
        ["d0", "4", "9", "cost*"],
        ["d0", "21", "31", "trade deal"],
        ["d1", "0", "9", "sanction*"],
        ["d1", "10", "14", "cost*"],
        ["d1", "15", "24", r"\b\d+ billion\b"],
    ]
    assert out["weight"].tolist() == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5]
    assert (out["voice"].astype(str) == "author").all()


def test_match_does_not_cross_documents_and_handles_empty_texts():
    m = L.Matcher(lex({"T": ["trade deal", "deal"]}))
    out = L.match(_docs(["trade", "deal", "", "no"]), m)
    # "trade" + "deal" in two documents is no phrase; only "deal" in d1 0..4
    assert out[["doc_id", "start", "end"]].astype(str).values.tolist() == [["d1", "0", "4"]]
    empty = L.match(_docs([]), m)
    assert list(empty.columns) == list(schema.MATCH_COLUMNS) and len(empty) == 0


def test_match_sent_id_and_voice_from_tables():
    text = 'He said: "war is near". Peace came.'
    # sentences: 0..23 and 24..35; quote content "war is near" 10..21 is quoted voice
    docs = _docs([text])
    sentences = pd.DataFrame(
        {
            "doc_id": ["d0", "d0"],
            "sent_id": [0, 1],
            "para_id": [0, 0],
            "start": [0, 24],
            "end": [23, 35],
            "text": [text[0:23], text[24:35]],
            "n_words": [8, 3],
        }
    )
    segments = pd.DataFrame(
        {
            "doc_id": ["d0"] * 3,
            "start": [0, 10, 21],
            "end": [10, 21, 35],
            "voice": ["author", "quoted", "author"],
            "quote_id": pd.array([None, 0, None], dtype="Int64"),
        }
    )
    out = L.match(docs, lex({"C": ["war", "peace"]}), sentences=sentences, segments=segments)
    # war 10..13 in sentence 0, quoted; Peace 24..29 in sentence 1, author
    assert out[["start", "sent_id"]].values.tolist() == [[10, 0], [24, 1]]
    assert out["voice"].astype(str).tolist() == ["quoted", "author"]


def test_match_validates_docs():
    with pytest.raises(ValueError, match="available"):
        L.match(pd.DataFrame({"id": ["a"], "body": ["x"]}), lex({"A": ["x"]}))


# --------------------------------------------------------------------------- count()
def test_count_keeps_zero_categories_and_index_groups():
    lx = L.load(FIX / "mini.yaml")
    m = L.match(_docs(["war and war", "nothing here", "armed conflict"]), lx)
    out = L.count(m, lx, index=["d0", "d1", "d2"])
    # d0: Conflict 2 (war, war), Economy 0; d1: no match, still both categories at 0;
    # d2: Conflict 1 ("armed conflict", weight 2)
    assert out.astype({"lexicon": str, "category": str, "doc_id": str}).values.tolist() == [
        ["d0", "mini", "Conflict", 2],
        ["d0", "mini", "Economy", 0],
        ["d1", "mini", "Conflict", 0],
        ["d1", "mini", "Economy", 0],
        ["d2", "mini", "Conflict", 1],
        ["d2", "mini", "Economy", 0],
    ]
    w = L.count(m, lx, weighted=True)
    # without index only d0 and d2; weighted: d0 Conflict 1+1 = 2.0, d2 Conflict 2.0
    assert w["doc_id"].astype(str).tolist() == ["d0", "d0", "d2", "d2"]
    assert w["weight"].tolist() == [2.0, 0.0, 2.0, 0.0]


def test_count_by_metadata_and_corpus_wide():
    lx = lex({"A": ["war"], "B": ["aid"], "C": ["peace"]})
    docs = _docs(["war aid", "war"])
    m = L.match(docs, lx).merge(
        pd.DataFrame({"doc_id": ["d0", "d1"], "outlet": ["X", "Y"]}), on="doc_id"
    )
    by_outlet = L.count(m, lx, by="outlet")
    # X: A 1, B 1, C 0; Y: A 1, B 0, C 0
    assert by_outlet["n"].tolist() == [1, 1, 0, 1, 0, 0]
    total = L.count(m, lx, by=())
    assert total[["category", "n"]].astype({"category": str}).values.tolist() == [
        ["A", 2],
        ["B", 1],
        ["C", 0],
    ]
    # two by columns; a match of another lexicon ("other") is ignored
    m2 = pd.concat(
        [m, L.match(_docs(["war"]), lex({"Z": ["war"]}, name="other")).assign(outlet="X")],
        ignore_index=True,
    )
    two = L.count(m2, lx, by=["outlet", "doc_id"])
    # groups (X, d0) and (Y, d1), three categories each: d0 A 1, B 1; d1 A 1
    assert two[["outlet", "doc_id"]].astype(str).drop_duplicates().values.tolist() == [
        ["X", "d0"],
        ["Y", "d1"],
    ]
    assert two["n"].tolist() == [1, 1, 0, 1, 0, 0]
    none = L.count(L.match(_docs(["nothing"]), lx), lx, index=["d0"])
    assert none["n"].tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="lacks column"):
        L.count(m, lx, by="date")


# --------------------------------------------------------------------------- reference check
def _reference_find(lexicons, text):
    """Slow, obviously-correct matcher: scan every position of the folded text for every
    pattern, then greedy leftmost-longest per lexicon; one row per category."""
    from framelens.core.normalize import fold

    f = fold(text)
    word = [c.isalnum() for c in f]
    rows, pid = [], 0
    for _li, lx in enumerate(lexicons):
        cands = []
        for cat in lx.categories.values():
            for p in cat.patterns:
                glob = p.term.endswith("*")
                body = fold(p.term[:-1] if glob else p.term)
                for i in range(len(f) - len(body) + 1):
                    if i > 0 and word[i - 1] and body[0].isalnum():
                        continue
                    if not all(
                        (f[i + k].isspace() if b == " " else f[i + k] == b)
                        for k, b in enumerate(body)
                    ):
                        continue
                    e = i + len(body)
                    if glob:
                        while e < len(f) and word[e]:
                            e += 1
                    elif e < len(f) and word[e] and body[-1].isalnum():
                        continue
                    cands.append((i, e, pid, cat.name))
                pid += 1
        chosen, last = set(), -1
        for i, e, _, _ in sorted(cands, key=lambda c: (c[0], -c[1])):
            if i >= last:
                chosen.add((i, e))
                last = e
        seen = set()
        for i, e, p, cat in sorted(cands, key=lambda c: (c[0], c[2])):
            if (i, e) in chosen and (i, e, cat) not in seen:
                seen.add((i, e, cat))
                rows.append((i, e, p))
    return sorted(rows)


def test_matcher_agrees_with_a_slow_reference_on_random_texts():
    import random

    rng = random.Random(7)
    vocab = [
        "war",
        "wars",
        "award",
        "trade",
        "deal",
        "trade-deal",
        "Vučić",
        "vucic",
        "eu",
        "union",
        "european",
        "sanction",
        "sanctions",
        "un",
        "peace",
        "talks",
    ]
    seps = [" ", " ", " ", "  ", ", ", ".\n", "'s ", "-", "\n"]
    for case in range(60):  # (checked with 2,000 cases while developing)
        cats = {}
        for c in range(3):
            pats = set()
            for _ in range(rng.randint(1, 5)):
                w = rng.choice(vocab)
                r = rng.random()
                if r < 0.3 and len(w) > 3:
                    w = w[: rng.randint(2, len(w) - 1)] + "*"
                elif r < 0.55:
                    w = w + " " + rng.choice(vocab)
                pats.add(w)
            cats[f"C{c}"] = sorted(pats)
        lexs = [
            lex(cats, name="one"),
            lex({"X": [rng.choice(vocab) for _ in range(3)]}, name="two"),
        ]
        text = "".join(rng.choice(vocab) + rng.choice(seps) for _ in range(rng.randint(5, 40)))
        m = L.Matcher(lexs)
        st, en, pid = m.find(text)
        got = sorted(zip(st.tolist(), en.tolist(), pid.tolist()))
        assert got == _reference_find(lexs, text), (case, cats, text)


def test_fast_translation_equals_normalize_fold():
    from framelens.core.normalize import fold

    # ASCII, 2-byte path, a character folding outside the BMP (U+FA6C), emoji (4-byte)
    for s in ["Plain ASCII, text.", "Vučić’s “Belgrade” – Ærø", "x \ufa6c y", "ok 😀 Ünïcode"]:
        assert translate(s, "fold") == fold(s)
        assert len(translate(s, "bound")) == len(s)
    # boundary folding: letters folded, whitespace -> ' ', other characters -> \x01
    assert translate("Vučić’s\tpro-EU 😀", "bound") == "vucic\x01s pro\x01eu \x01"


def test_matcher_pickles_and_loads_are_cached():
    import pickle

    m = L.Matcher(L.load(FIX / "mini.yaml"))
    m2 = pickle.loads(pickle.dumps(m))  # the Dask engine ships matchers to workers
    text = "War costs 2 billion; sanctions."
    assert [a.tolist() for a in m.find(text)] == [a.tolist() for a in m2.find(text)]
    assert m2.hash == m.hash
    assert L.load(FIX / "mini.yaml") is L.load(FIX / "mini.yaml")  # parsed once


def _assert_regexes_agree_with_finditer(regexes, words, rng, *, texts=30, length=60):
    """Random texts over ``words``: the Matcher finds exactly what ``re.finditer`` finds
    on the folded text, for each regex alone."""
    import re

    from framelens.core.normalize import fold

    for _ in range(texts):
        text = " ".join(rng.choice(words) for _ in range(length))
        for rx in regexes:
            m = L.Matcher(lex({"R": [{"regex": rx}]}))
            st, en, _ = m.find(text)
            want = [mm.span() for mm in re.finditer(rx, fold(text), re.IGNORECASE)]
            assert list(zip(st.tolist(), en.tolist())) == want, (rx, text)


def test_prefixed_regexes_agree_with_finditer():
    import random

    rng = random.Random(3)
    words = [
        "sign",
        "signed",
        "resign",
        "design",
        "lift",
        "ease",
        "easy",
        "least",
        "cut",
        "broke",
        "ties",
        "sanctions",
        "the",
        "EU",
        "deal",
        "signing",
    ]
    regexes = [
        r"\bsign\w*",
        r"(?:lift|ease|eas)\w*\s+sanctions\b",
        r"\b(?:cut|broke)\s+ties",
        r"\bsign\w*\s+(?:\w+\s+){0,2}?deal\b",
    ]
    _assert_regexes_agree_with_finditer(regexes, words, rng)


# --------------------------------------------------------------------------- speed paths
def test_lookaround_regexes_get_literal_prefixes_and_agree_with_finditer():
    import random

    # lookbehinds / lookaheads are zero width: the match still starts with "may"
    assert LR.literal_prefixes(r"\b(?<!\bin )(?<!\bon )may\b(?!\s*\d)") == ["may"]
    assert LR.literal_prefixes(r"(?<!\btrade )balance\b(?! of payments\b)") == ["balance"]
    assert LR.literal_prefixes(r"(?=ma)\w+") is None  # no literal after the lookahead
    rng = random.Random(5)
    words = [
        "in",
        "on",
        "may",
        "May",
        "mayor",
        "dismay",
        "balance",
        "trade",
        "of",
        "payments",
        "the",
        "deal",
        "1",
        "2,",
        "Deal.",
    ]
    regexes = [
        r"\b(?<!\bin )(?<!\bon )may\b(?!\s*\d)",
        r"(?<!\btrade )balance\b(?! of payments\b)",
        r"(?<=the )deal\b",
        r"\bmay(?=or)\w*",
    ]
    for rx in regexes:
        m = L.Matcher(lex({"R": [{"regex": rx}]}))
        assert len(m._rx_prefixed) == 1, rx  # candidates come from the automaton
    _assert_regexes_agree_with_finditer(regexes, words, rng)


def test_span_with_three_rows_keeps_one_row_per_category():
    m = L.Matcher(lex({"A": ["war", "wa*"], "B": ["wa*"], "C": ["war"]}))
    # "war" 0..3 is matched by four patterns; A twice -> its first pattern "war" only
    assert spans(m, "war") == [
        (0, 3, "A", "war", "war"),
        (0, 3, "B", "wa*", "war"),
        (0, 3, "C", "war", "war"),
    ]


def test_chunked_match_locates_like_a_reference(monkeypatch):
    rng = np.random.default_rng(2)
    n_docs = 12
    texts = [
        " ".join(rng.choice(["war", "peace", "aid", "x"], size=rng.integers(0, 30)))
        for _ in range(n_docs)
    ]
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(n_docs)], "text": texts})
    srows, grows = [], []
    for i, t in enumerate(texts):
        if i % 4 == 3 or not t:  # some documents without sentences / segments
            continue
        cuts = sorted({0, *rng.integers(1, len(t), 3).tolist()})
        first = int(rng.integers(0, 2)) * cuts[1] if len(cuts) > 1 else 0  # maybe a gap
        for k, c in enumerate(c for c in cuts if c >= first):
            srows.append((f"d{i:02d}", k, c))
        for c in cuts[::2]:
            grows.append((f"d{i:02d}", c, ["author", "quoted", "reported"][c % 3]))
    sentences = pd.DataFrame(srows, columns=["doc_id", "sent_id", "start"])
    segments = pd.DataFrame(grows, columns=["doc_id", "start", "voice"])
    lx = lex({"C": ["war", "peace", "aid"]})
    whole = L.match(docs, lx, sentences=sentences, segments=segments)
    monkeypatch.setattr(LM, "CHUNK_CHARS", 40)  # several chunks of a few documents
    out = L.match(docs, lx, sentences=sentences, segments=segments)
    pd.testing.assert_frame_equal(out, whole)
    # reference: the last sentence / segment of the same document starting at or before
    # the match; 0 before the first sentence, -1 for a document without sentences
    for d, s, sid, v in zip(
        out["doc_id"].astype(str), out["start"], out["sent_id"], out["voice"].astype(str)
    ):
        ss = sentences[(sentences.doc_id == d)]
        want = (
            -1 if ss.empty else int(ss[ss.start <= s].sent_id.max()) if (ss.start <= s).any() else 0
        )
        gg = segments[(segments.doc_id == d) & (segments.start <= s)]
        assert sid == want, (d, s)
        assert v == (gg.voice.iloc[-1] if len(gg) else "author"), (d, s)
    assert (out["sent_id"] == -1).any() and (out["voice"] != "author").any()


def test_lexicon_error_lives_in_framelens_errors():
    from framelens import errors

    assert L.LexiconError is errors.LexiconError
    with pytest.raises(errors.LexiconError, match="no lexicons given"):
        L.Matcher([])
    with pytest.raises(errors.TableError, match="lacks column"):
        L.count(pd.DataFrame({"doc_id": ["a"]}), lex({"A": ["x"]}))
