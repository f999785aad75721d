"""Shortcuts of the framing and neutrality steps give what the computations they replace give."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelens import lexicon, text
from framelens.core.tokens import count_words
from framelens.measures import framing
from framelens.measures.framing import sentences as fs
from framelens.measures.neutrality import steps as nsteps
from framelens.pipeline import DEFAULT_LEXICONS

DOCS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c"],
        "text": [
            "Brussels said the EU budget and the economy would suffer. Washington imposed "
            "sanctions; the court ruled the law unconstitutional.",
            'The minister said "this is a shocking, disgraceful attack!" on Tuesday. '
            "Critics allegedly claimed the deal was a so-called success?",
            "NATO condemned the regime. \u201cWe will never accept it,\u201d he warned. "
            "Moscow and Kyiv traded accusations over the war, refugees and health care.",
        ],
    }
)


@pytest.fixture(scope="module")
def tables():
    tabs = dict(text.process(DOCS, attribution="rules"))
    m = lexicon.Matcher([lexicon.load(n) for n in DEFAULT_LEXICONS])
    tabs["matches"] = lexicon.match(DOCS, m, sentences=tabs["sentences"], segments=tabs["segments"])
    tabs["docs"] = DOCS
    return tabs


def _scheme_hits_plain(matches, scheme, actor_cues):
    # scheme_hits before the dict / set shortcuts: Index.get_indexer and np.isin over all rows
    frames = fs.scheme_frames(scheme)
    a = fs.match_arrays(matches)
    fcode = pd.Index(list(frames)).get_indexer(a["category"]).astype(np.int64)
    keep = (a["lexicon"] == scheme) & (fcode >= 0)
    places = fs.scheme_info(scheme).actor_terms
    w = a["w"]
    if actor_cues != "count" and places and keep.any():
        is_place = np.zeros(len(keep), dtype=bool)
        for fr in sorted({f for f, _ in places}):
            terms = [t for f, t in places if f == fr]
            is_place |= (a["category"] == fr) & np.isin(a["term"], terms)
        if actor_cues == "exclude":
            keep &= ~is_place
        else:
            w = np.where(is_place, w * fs.ACTOR_DOWN_WEIGHT, w)
    sel = np.flatnonzero(keep)
    out = {k: v[sel] for k, v in a.items() if k not in ("lexicon", "category", "w")}
    out["w"] = w[sel]
    out["f"] = fcode[sel]
    return out


@pytest.mark.parametrize("actor_cues", ["count", "exclude", "downweight"])
@pytest.mark.parametrize("scheme", sorted(framing.SCHEMES))
def test_scheme_hits_equal_the_plain_vectorised_version(tables, scheme, actor_cues):
    m = tables["matches"]
    # named-actor cue terms planted as matches so that the actor rule has rows to act on
    places = sorted(fs.scheme_info(scheme).actor_terms)[:5]
    extra = pd.DataFrame(
        {
            "doc_id": ["a"] * len(places),
            "sent_id": [0] * len(places),
            "start": [0] * len(places),
            "end": [1] * len(places),
            "lexicon": [scheme] * len(places),
            "category": [f for f, _ in places],
            "term": [t for _, t in places],
            "voice": ["author"] * len(places),
            "weight": [1.0] * len(places),
        }
    )
    m = pd.concat([m, extra.astype({c: m[c].dtype for c in extra.columns})], ignore_index=True)
    try:
        got = fs.scheme_hits(m, scheme, actor_cues)
    except ValueError:
        pytest.skip(f"{actor_cues} is not a mode of this version")
    want = _scheme_hits_plain(m, scheme, actor_cues)
    assert got.keys() == want.keys()
    for k in want:
        np.testing.assert_array_equal(got[k], want[k])


def test_neutrality_step_with_the_text_layers_word_counts_equals_recounting(tables):
    with_counts = nsteps.step(tables)
    t2 = dict(tables)
    t2["sentences"] = tables["sentences"].drop(columns=["n_words"])
    recounted = nsteps.step(t2)
    assert with_counts.keys() == recounted.keys()
    for k in with_counts:
        pd.testing.assert_frame_equal(with_counts[k], recounted[k], check_exact=True)


_PIECE = st.sampled_from(
    ["Serbia's", "1,500.5", "isn't", "pro-EU", "2.5%", "\u2019", "-", "Mr.", "U.S.", "a", "--"]
)
_SEP = st.sampled_from([" ", ". ", "! ", "\n", "\n\n", ", ", "-", "", "\u00a0"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_PIECE, _SEP), max_size=40))
def test_sentence_n_words_is_count_words_of_the_sentence_text(parts):
    # the neutrality step reads n_words instead of counting the sentences again
    doc = "".join(w + s for w, s in parts)
    s = text.sentences(doc)
    assert s["n_words"].tolist() == count_words(s["text"].tolist()).tolist()


# --------------------------------------------------------------------------- attribution
# attribution() counts with integer codes instead of merges; the pandas version it
# replaced is kept here as the reference.
from framelens.measures.neutrality.attributions import (  # noqa: E402
    VERB_CLASSES,
    as_categorical,
    as_str_array,
    need_columns,
    source_key,
    speaker,
    verb_counted,
)
from framelens.measures.neutrality.attributions import attribution as attribution_new  # noqa: E402


def attribution_plain(quotes: pd.DataFrame, *, by=("doc_id", "speaker")) -> pd.DataFrame:
    # the pandas version before the integer-code counting
    # long: numpydoc with the counting rule; the body is 50 lines
    by = list(by)
    if not by:
        raise ValueError("by must name at least one column, e.g. ('doc_id', 'speaker')")
    need_columns(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        if c == "source":
            q[c] = source_key(quotes).to_numpy()
        elif c == "speaker":
            q[c] = speaker(quotes)
        elif c in quotes.columns:
            q[c] = as_str_array(quotes[c])
        else:
            raise ValueError(
                f"quotes has no column {c!r} to group by; columns: "
                f"{list(quotes.columns)} (or 'source')"
            )
    vc = as_str_array(quotes["verb_class"])
    vc = np.where(vc == "", "neutral", vc)
    bad = sorted(set(vc) - set(VERB_CLASSES))
    if bad:
        raise ValueError(f"unknown verb_class value(s) {bad}; expected {VERB_CLASSES}")
    q["verb_class"] = vc
    if len(q) == 0:
        cols = {c: pd.Series([], dtype=object) for c in by}
        cols.update(
            verb_class=as_categorical([], VERB_CLASSES),
            n=pd.Series([], dtype="int64"),
            n_verbs=pd.Series([], dtype="int64"),
            n_quotes=pd.Series([], dtype="int64"),
            share=pd.Series([], dtype="float64"),
        )
        return pd.DataFrame(cols)
    groups = q[by].drop_duplicates()
    nq = q.groupby(by, sort=False).size().rename("n_quotes").reset_index()
    grid = groups.merge(pd.DataFrame({"verb_class": list(VERB_CLASSES)}), how="cross")
    qv = q[verb_counted(quotes)]
    n = qv.groupby(by + ["verb_class"], sort=False).size().rename("n").reset_index()
    out = grid.merge(n, on=by + ["verb_class"], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    out["n_verbs"] = out.groupby(by, sort=False)["n"].transform("sum").astype("int64")
    out = out.merge(nq, on=by, how="left")
    out["n_quotes"] = out["n_quotes"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(
            out["n_verbs"] > 0, out["n"] / out["n_verbs"].where(out["n_verbs"] > 0, 1), np.nan
        )
    out["verb_class"] = as_categorical(out["verb_class"], VERB_CLASSES)
    out = out[by + ["verb_class", "n", "n_verbs", "n_quotes", "share"]]
    return out.sort_values(by + ["verb_class"]).reset_index(drop=True)


_NAMES = st.sampled_from(["Vučić", "Vucic", "Aleksandar Vučić", "", "He", "EU", "Zed", "ann"])
_VC = st.sampled_from(list(VERB_CLASSES) + [""])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["d1", "d2", "d0", "é"]),
            _NAMES,
            _NAMES,
            st.sampled_from(["SRBGOV", "EU", "", " RUS "]),
            _VC,
            st.one_of(st.none(), st.integers(0, 4)),
        ),
        max_size=30,
    ),
    st.sampled_from([("doc_id", "speaker"), ("doc_id",), ("doc_id", "source"), ("speaker",)]),
)
def test_attribution_equals_the_pandas_version(rows, by):
    q = pd.DataFrame(
        rows,
        columns=[
            "doc_id",
            "speaker",
            "speaker_surface",
            "speaker_actor",
            "verb_class",
            "verb_start",
        ],
    )
    q = q.astype({"doc_id": "string", "speaker": "string", "verb_class": "string"})
    pd.testing.assert_frame_equal(
        attribution_new(q, by=by), attribution_plain(q, by=by), check_exact=True
    )


def test_attribution_on_the_pipeline_quotes_equals_the_pandas_version(tables):
    q = tables["quotes"]
    for by in (("doc_id", "speaker"), ("doc_id",)):
        pd.testing.assert_frame_equal(
            attribution_new(q, by=by), attribution_plain(q, by=by), check_exact=True
        )


# ------------------------------------------------------------------ attribution_asymmetry
from framelens.measures.neutrality.attributions import (  # noqa: E402
    attribution_asymmetry as asymmetry_new,
)
from framelens.measures.neutrality.common import camp_of_sources  # noqa: E402


def asymmetry_plain(
    quotes: pd.DataFrame,
    *,
    group: str = "camp",
    by=("doc_id",),
    groups: tuple[str, str] | None = None,
    min_quotes: int = 1,
    camp_map=None,
) -> pd.DataFrame:
    # the pandas version before the integer-code range variant
    # long: numpydoc with the formula; the body is 61 lines
    by = list(by)
    if min_quotes < 1:
        raise ValueError("min_quotes must be >= 1")
    need_columns(quotes, ["verb_class"], "quotes")
    q = pd.DataFrame(index=quotes.index)
    for c in by:
        q[c] = as_str_array(need_columns(quotes, [c], "quotes")[c])
    if group == "camp":
        src = source_key(quotes)
        q["_g"] = camp_of_sources(src.to_numpy(), quotes, camp_map)
    elif group == "source":
        q["_g"] = source_key(quotes).to_numpy()
    else:
        q["_g"] = as_str_array(need_columns(quotes, [group], "quotes")[group])
    vc = as_str_array(quotes["verb_class"])
    q["_net"] = np.where(
        vc == "endorsing", 1.0, np.where(np.isin(vc, ["distancing", "guilt_implying"]), -1.0, 0.0)
    )
    q = q[verb_counted(quotes)]  # each reporting verb once (nested partial quotes share it)
    if not by:
        q["_all"] = "all"
        keys = ["_all"]
    else:
        keys = by
    g = q.groupby(keys + ["_g"], sort=True).agg(net=("_net", "mean"), n=("_net", "size"))
    g = g.reset_index()
    g = g[g["n"] >= min_quotes]
    units = q[keys].drop_duplicates().sort_values(keys).reset_index(drop=True)
    cols = ["n_groups", "group_max", "net_max", "group_min", "net_min", "asymmetry"]
    if groups is not None:
        a, b = groups
        ga = g[g["_g"] == a][keys + ["net"]].rename(columns={"net": "net_max"})
        gb = g[g["_g"] == b][keys + ["net"]].rename(columns={"net": "net_min"})
        out = units.merge(ga, on=keys, how="left").merge(gb, on=keys, how="left")
        out["n_groups"] = out["net_max"].notna().astype("int64") + out["net_min"].notna().astype(
            "int64"
        )
        out["group_max"] = a
        out["group_min"] = b
    else:
        srt = g.sort_values(keys + ["net", "_g"])
        lo = srt.drop_duplicates(keys, keep="first")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_min", "net": "net_min"}
        )
        hi = srt.drop_duplicates(keys, keep="last")[keys + ["_g", "net"]].rename(
            columns={"_g": "group_max", "net": "net_max"}
        )
        ng = g.groupby(keys).size().rename("n_groups").reset_index()
        out = (
            units.merge(ng, on=keys, how="left")
            .merge(hi, on=keys, how="left")
            .merge(lo, on=keys, how="left")
        )
        out["n_groups"] = out["n_groups"].fillna(0).astype("int64")
        out["group_max"] = out["group_max"].fillna("")
        out["group_min"] = out["group_min"].fillna("")
    out["asymmetry"] = out["net_max"] - out["net_min"]
    out = out[keys + cols]
    if not by:
        out = out.drop(columns=["_all"])
    return out


_CAMPS = {"SRB": "EAST", "RUS": "EAST", "EU": "WEST", "USA": "WEST"}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["d1", "d2", "d0"]),
            _NAMES,
            st.sampled_from(["SRBGOV", "EU", "", "RUSGOV", "USA"]),
            _VC,
            st.one_of(st.none(), st.integers(0, 4)),
        ),
        max_size=30,
    ),
    st.sampled_from([("doc_id",), ()]),
    st.sampled_from(["camp", "source", "speaker_actor"]),
    st.integers(1, 3),
    st.sampled_from([None, _CAMPS]),
)
def test_attribution_asymmetry_equals_the_pandas_version(rows, by, group, min_quotes, camps):
    q = pd.DataFrame(
        rows, columns=["doc_id", "speaker", "speaker_actor", "verb_class", "verb_start"]
    ).astype({"doc_id": "string", "speaker": "string", "verb_class": "string"})
    kw = dict(group=group, by=by, min_quotes=min_quotes, camp_map=camps)
    pd.testing.assert_frame_equal(
        asymmetry_new(q, **kw), asymmetry_plain(q, **kw), check_exact=True
    )


def test_attribution_asymmetry_on_the_pipeline_quotes_equals_the_pandas_version(tables):
    q = tables["quotes"]
    for group in ("camp", "source"):
        pd.testing.assert_frame_equal(
            asymmetry_new(q, group=group, by=("doc_id",)),
            asymmetry_plain(q, group=group, by=("doc_id",)),
            check_exact=True,
        )
