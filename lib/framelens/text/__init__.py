"""The text layer: sentences, tokens, quotations with attribution, and voice.

Everything here works on character offsets into ``docs.text`` (``text[start:end]`` is
the span), builds one DataFrame per call, and is rule-based and transparent: every
rule is written out below and in docs/architecture.md.

Sentences
    NLTK's :class:`~nltk.tokenize.punkt.PunktSentenceTokenizer` built from
    :class:`~nltk.tokenize.punkt.PunktParameters` with the abbreviation list
    :data:`ABBREVIATIONS` and the sentence starters :data:`SENT_STARTERS` written here
    (no downloaded model; "Mr. Vucic" is no boundary, "... the U.S. The talks" is).
    Lines are paragraphs and hard boundaries; Punkt runs per paragraph (a paragraph
    without an inner ``.``/``?``/``!`` is one sentence without calling it); spans are
    stripped of surrounding whitespace. Two speed-ups of the tokenizer keep its
    decisions identical (see ``_Punkt``).
Words and tokens
    The length unit is the **word** of :mod:`framelens.core.tokens` (a number such as
    ``1,500.5``, or a word with internal apostrophes or hyphens: ``Serbia's``,
    ``isn't``, ``Russia-Ukraine``; punctuation is not a word): ``sentences.n_words``
    counts them (one compiled regex, never materialised in the pipeline).
    :func:`tokens` lists words *and* single punctuation marks (:data:`TOKEN_PATTERN`)
    with offsets on demand; it is a listing, not a length unit. (Treebank-style
    tokenisers split ``Serbia 's`` and ``is n't``, so their counts are a little higher.)
Quotation marks
    Straight ``"``, curly and guillemet double marks are paired within a paragraph
    only (a straight mark opens after a space or bracket and closes after a non-space);
    a mark left unpaired yields no quote and an ``unmatched_quote`` warning, so an
    unbalanced mark never swallows the rest of a document. Single quotes are not
    quotation marks here (they are apostrophes far more often). A quote whose opening
    mark starts its sentence, or that follows a reporting verb with a colon or begins
    with a capital right after it, is ``direct``; any other quoted fragment is
    ``partial`` (``stance is "not simple"``).
Reporting verbs
    Lemmas and classes come from ``lexicons/reporting_verbs.yaml`` (read by
    :func:`load_reporting_verbs`; inflections by :func:`inflect`); verbs inside quotes
    are ignored. Around each verb the rules look for a subject *before* it, walking
    back over auxiliaries and adverbs ("has recently said"):

    * a pronoun (he/she/they);
    * a role phrase: determiner + up to three modifiers + a role head
      ("The Serbian leader", "an EU spokesperson", "the ministry");
    * a bare plural source ("officials", "Western diplomats");
    * a run of up to seven capitalised words ("Serbian Deputy Prime Minister Aleksandar
      Vulin"; "the European Union"), name particles inside it kept
      (:data:`NAME_PARTICLES`: "Ursula von der Leyen", "von der Leyen", "al-Sharaa"),
      with lower-case
      descriptors before it ("pensioner Marko Jovanovic", "Kremlin spokesman Dmitry
      Peskov"), an appositive after it ("Dmitry Peskov, a spokesman for the Kremlin,
      said") or as the appositive of a role phrase ("Russia's ambassador, Alexander
      Botsan-Kharchenko, said"); "X of the Y Institute said" gives X (X no title:
      "Minister of Foreign Affairs Ivica Dacic" is one subject); a run after a link
      word (for/of/on/and/the/de) extends back over it when a title or institution head
      precedes ("The Institute for Slavic Studies", "Commissioner for Regional Policy
      Elisa Ferreira"), never leaving a trailing fragment ("Slavic Studies"); a run
      that ends in an institution head (:data:`INSTITUTION_HEADS`: Institute, Studies,
      Policy, Observatory, Centre, Ministry, ...) is an institution, kept whole and
      never a person; a name right after a preposition ("polls in Serbia show") is no
      subject, but a role or bare plural before "in"/"at" + a place is ("The U.S.
      embassy in Belgrade said", "diplomats at the conference alleged"); a bare verb
      form after one capitalised non-plural word is a noun ("Russian state media").

    Failing that, a subject *after* the verb when the verb follows a comma or a
    closing mark (", said Foreign Minister Sergei Lavrov."), or none at all after
    "and"/"but" ("... and said he wanted ...") or for a participle after a comma
    (", stressing that ..."): then the speaker is that of the previous reporting verb
    in the sentence. The content, in this order:

    1. the direct quote that closes right before the subject (trailing attribution,
       ``"...," President Vucic said``);
    2. the quote that opens right after the verb (leading attribution,
       ``President Putin said "What ..."``);
    3. a clause after ``that`` (up to ~60 characters of adjuncts may come first:
       "told RT on Monday that"), after a colon, or a zero-``that`` clause: a pronoun;
       a determiner (also his/her/its/their), a capitalised word or a particle name
       followed within six words by an auxiliary, a modal or an ``-ed`` verb ("said
       Moscow welcomed", "said her party had"); or a bare lower-case noun phrase of one
       to three words followed by an auxiliary or modal ("said candidate countries
       were") -- not by an ``-ed`` word ("noted concerns raised by" is an object), and
       not starting with a preposition, time adverb or wh-word; an object before the
       clause ("told Reuters ...") is skipped, a possessive name ("Serbia's economy")
       is no object. It runs to the end of the sentence (without the final
       ``.``/``!``/``?``), is cut before a coordinated reporting verb ("and said",
       ", adding that"), and extends to the end of a quote it opens;
    4. postposed and headline-style speech: the part of the sentence before
       ", X said", "..." X said" or " - X said" when nothing but an object or an adjunct
       ("in an interview") follows the verb; a dateline ("BELGRADE, Nov 14 - ") is
       left out.

    Verbs whose complement is a noun phrase (``call for``: "calls for a diplomatic
    solution", a report of a speech act, not indirect speech) only attribute a
    quotation that opens right after them ('called for "restraint"').

    "According to X, ..." and "..., according to X" are read in both orders. A
    reported clause may contain further reporting verbs (nested speech: "Mr. Vucic
    said that President Putin said "..."" gives an indirect quote of Vucic containing
    a direct quote of Putin). A quote without its own verb takes the speaker and verb
    of the innermost reported clause that contains it, else (a direct quote) of the
    previous attributed direct quote in the paragraph; other quotes ("so-called
    "special operation"") keep no speaker.
Speakers (coreference)
    Persons are tracked as capitalised name sequences after titles (:data:`TITLES`)
    and as subjects of reporting verbs. A surname ("Mr. Vucic", "President Vucic",
    "Vucic") resolves to the most recent person with that surname; a role phrase
    ("the Serbian leader") to the most recent person whose nationality (the word
    before the title: "Serbian President ...", "Russia's ...") and title match
    ("leader" matches presidents, prime ministers, chancellors, kings); he/she to the
    most recent person who was a subject (of a reporting verb, or sentence-initial) in
    the current or two previous sentences, else to the last person mentioned; "they"
    stays unresolved. A name with particles matches its full form ("von der Leyen",
    "Von der Leyen" -> "Ursula von der Leyen"). An organisation word before the title
    ("Foreign Ministry spokeswoman Maria Zakharova") does not make the person an
    organisation; only the name words decide. The resolved ``speaker`` is the longest
    form of the name seen in the document ("Aleksandar Vucic"); an unresolved role
    phrase keeps its words without the determiner ("ministry"). :func:`references`
    lists every reference and its resolution. ``speaker_actor`` is left empty for the actors step.
Voice
    :func:`segments` partitions every document into ``quoted`` (inside a direct or
    partial quote), ``reported`` (inside an indirect clause, outside quotes) and
    ``author`` spans; :func:`locate` (:func:`framelens.core.spans.locate`, the one
    locator) maps any span table onto sentences and voices with one
    ``numpy.searchsorted`` per table.

Known limits: rules, not a parser. A reported clause runs to the end of its sentence
("... said that X and expressed his agreement" includes the second verb phrase);
speech continued in the next sentence without a verb is author voice; gender is not
used for he/she; quotes spread over several paragraphs (an opening mark repeated at
each paragraph start) give warnings and no quote; speech acts with a noun-phrase
complement ("calls for a ceasefire", "called the findings politically motivated") make
no indirect quote; a zero-``that`` clause starting with a lower-case noun phrase needs an
auxiliary ("said prices rose" is author voice); institution names with more than ten
words or without a title/head word before a link word ("the Study of War" alone) are
cut at the link.

Examples
--------
>>> import pandas as pd
>>> from framelens import text
>>> t = '"We agree," Mr. Vucic said. He noted that it was "fine".'
>>> out = text.process(pd.DataFrame({"doc_id": ["a"], "text": [t]}))
>>> for row in out["quotes"][["kind", "text", "speaker", "verb", "verb_class"]].astype(str).values:
...     print(list(row))
['direct', 'We agree,', 'Vucic', 'say', 'neutral']
['indirect', 'it was "fine"', 'Vucic', 'note', 'endorsing']
['partial', 'fine', 'Vucic', 'note', 'endorsing']
"""

from __future__ import annotations

from framelens.core.schema import KINDS, VERB_CLASSES
from framelens.core.spans import locate

from .layer import process
from .quotations import quotes, references
from .segmentation import sentences, tokens
from .verbs import inflect, load_reporting_verbs, reporting_verbs
from .voice import segments
from .words import (
    ABBREVIATIONS,
    INSTITUTION_HEADS,
    NAME_PARTICLES,
    SENT_STARTERS,
    TITLES,
    TOKEN_PATTERN,
)

__all__ = [
    "sentences",
    "tokens",
    "quotes",
    "segments",
    "locate",
    "process",
    "references",
    "reporting_verbs",
    "load_reporting_verbs",
    "inflect",
    "ABBREVIATIONS",
    "SENT_STARTERS",
    "TOKEN_PATTERN",
    "TITLES",
    "VERB_CLASSES",
    "KINDS",
    "NAME_PARTICLES",
    "INSTITUTION_HEADS",
]
