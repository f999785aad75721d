"""The attributed share and the pronoun filter of speaker rankings (issue 10, item 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from framelens.report import attributed, neutrality, speakers

TEXT_A = 'Ana said that talks went well. "We agree," Ana said. The deal is good.'
#         0         1         2         3         4         5         6
#         0123456789012345678901234567890123456789012345678901234567890123456789012


def _tables():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [TEXT_A, "One two three four."],
                         "outlet": ["X", "Y"]})  # fmt: skip
    seg = pd.DataFrame({
        "doc_id": ["a"] * 5 + ["b"],
        "start": [0, 13, 30, 32, 40, 0], "end": [13, 30, 32, 40, 72, 19],
        "voice": ["author", "reported", "author", "quoted", "author", "author"],
    })  # fmt: skip
    return docs, seg


def test_attributed_share_counts_words_per_voice():
    docs, seg = _tables()
    # a: author "Ana said that" 3 + ". " 0 + "" + ' Ana said. The deal is good.' 6 = 9;
    #    reported "talks went well" 3; quoted "We agree," 2 -> 14 words, 5 attributed
    got = attributed.attributed_share(seg, docs, by="outlet").set_index("outlet")
    assert got.loc["X", ["words", "words_author", "words_reported", "words_quoted"]].tolist() == [
        14, 9, 3, 2]  # fmt: skip
    assert got.loc["X", "share_attributed"] == round(5 / 14, 3)
    assert got.loc["Y", "share_attributed"] == 0.0 and got.loc["Y", "words"] == 4


def test_missing_groups_and_no_segments():
    docs, seg = _tables()
    docs = docs.assign(outlet=[None, "Y"])
    got = attributed.attributed_share(seg.iloc[:0], docs, by="outlet")
    assert got["outlet"].tolist() == ["(missing)", "Y"] and (got["words"] == 0).all()
    assert got["share_attributed"].isna().all()


def test_named_speaker_share_leaves_out_pronouns_and_unattributed():
    docs, _ = _tables()
    q = pd.DataFrame({"doc_id": ["a"] * 5,
                      "speaker": ["Ana", "Ana", "They", "(unattributed)", None]})  # fmt: skip
    got = attributed.named_speaker_share(q, docs, by="outlet").set_index("outlet")
    assert got.loc["X"].tolist() == [5, 2, 1, 2, 0.4]
    assert got.loc["Y", "quotations"] == 0 and np.isnan(got.loc["Y", "share_named"])


def test_counted_kinds_note_names_the_rule_kinds_and_the_model():
    note = attributed.counted_kinds_note(pd.DataFrame({"kind": ["indirect", "direct", "partial"]}))
    assert note.startswith("Attribution system: the rule layer")
    assert "Quotation kinds counted as attributed: direct, indirect, partial." in note
    assert 'attribution="model"' in note and "cognition" in note and "evidential" in note
    with_kinds = attributed.counted_kinds_note(
        pd.DataFrame({"kind": ["indirect"], "attribution": ["evidential"]})
    )
    assert with_kinds.startswith("Attribution system: the learned attribution model")
    assert "Counted as reported voice: speech (said, told) and evidential" in with_kinds
    assert "cognition" in with_kinds and "author's voice" in with_kinds
    assert "evidential 1" in with_kinds


def test_counted_kinds_note_takes_the_system_from_the_manifest():
    q = pd.DataFrame({"kind": ["indirect"]})
    assert attributed.counted_kinds_note(q, system="model").startswith(
        "Attribution system: the learned attribution model"
    )


def test_pronouns_are_never_speakers_or_camps_in_rankings():
    assert speakers.is_pronoun("he") and speakers.is_pronoun("They") and speakers.is_pronoun("I")
    assert not speakers.is_pronoun("US") and not speakers.is_pronoun("IT")
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["x"], "outlet": ["X"]})
    st = pd.DataFrame(
        {
            "doc_id": ["a"] * 3,
            "core": [True] * 3,
            "voice": ["quoted"] * 3,
            "speaker": ["he", "Ana Brnabic", "we"],
            "stance": ["asserted"] * 3,
        }
    )
    ranked = neutrality.neutrality_speakers(st, docs, by="outlet")
    assert ranked["speaker"].tolist() == ["Ana Brnabic"]
    src = pd.DataFrame(
        {
            "doc_id": ["a"] * 3,
            "source": ["she", "Ana", "Ivo"],
            "camp": ["she", "SRB", "they"],
            "quoted_words": [50, 10, 5],
        }
    )
    kept, n = speakers.drop_pronouns(src, ["source", "camp"])
    assert kept["source"].tolist() == ["Ana"] and n == 2
    ax = neutrality.plot_sourcing(src, docs, by="outlet")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["SRB"]  # "she" and "they" are not camps
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
    assert "2 rows" in speakers.pronoun_note(2)


def test_quotations_none_of_them_with_a_speaker_are_counted_not_a_crash():
    # before: every speaker missing (a small corpus, a quote without a speaker) made
    # Series.map give Arrow null values and fillna(False) raised ArrowInvalid, so the
    # corpus and neutrality reports failed
    from framelens.report.attributed import named_speaker_share

    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["", ""], "outlet": ["X", "Y"]})
    for who in (pd.Series([pd.NA], dtype="string"), pd.Series([None], dtype=object)):
        q = pd.DataFrame({"doc_id": pd.Series(["a"], dtype="string"), "speaker": who})
        got = named_speaker_share(q, docs, by="outlet")
        assert got.values.tolist()[0][:5] == ["X", 1, 0, 0, 1]
