"""Offset-preserving folding: one character to one character."""

import pytest

from framelens.core.normalize import fold, fold_table, translate, translate_codes

TEXTS = [
    "Aleksandar VUČIĆ – “neutral” in Niš",
    "plain ascii, U.S. and EU",
    "Đorđe\u00a0Ø ß \u2019s \U0001f600 Straße",  # no-break space, a character outside the BMP
    "İstanbul Ærø",  # İ lower-cases to two characters: folded without changing the length
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_numpy_translation_equals_the_dict_table(text):
    # fold() works on the bytes with numpy; str.translate with the same table is the
    # reference: same length, same characters
    expected = text.translate(fold_table())
    assert fold(text) == expected
    assert len(fold(text)) == len(text)
    assert translate_codes(text)[0] == expected


def test_hand_folded_examples():
    assert fold("Vučić’s “Belgrade”") == 'vucic\'s "belgrade"'
    assert fold("VUČIĆ") == "vucic"
    assert translate("a\tb\u00a0c\nd", "foldws") == "a b c d"


def test_unknown_table_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown translation table"):
        translate("x", "nope")
