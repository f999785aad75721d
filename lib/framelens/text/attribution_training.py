"""Fitting the attribution model on annotated documents (BRAT-style fragment tables).

:func:`training_sequences` runs the rule layer, gates the documents exactly as at
prediction time, and pairs every window's features with its BIO tags;
:func:`fit_attribution_model` learns the vocabulary (words of at least ``min_df``
training documents, plus the reporting-verb lexicon), the gate's cue words, fits the
CRF and writes the weights and their card (JSON: data hash, features, parameters,
vocabulary, cue words, scores). The same inputs give the same bytes.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ['Kim said "no".', 'Al said "yes".']})
>>> gold = pd.DataFrame({"doc_id": ["a", "b"], "content_frags": ["9-13", "8-13"],
...                      "cue_frags": ["4-8", "3-7"], "source_frags": ["0-3", "0-2"]})
>>> out = pathlib.Path(tempfile.mkdtemp()) / "m.crfsuite"
>>> card = fit_attribution_model(docs, gold, out=out, min_df=1, max_iterations=5)
>>> card["n_documents"], out.exists(), out.with_suffix(".json").exists()
(2, True, True)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from framelens.errors import ConfigError, TableError

from .attribution import analyse_docs
from .attribution_features import gate_regex
from .attribution_model import (
    DEFAULT_PARAMS,
    doc_windows,
    learn_cue_words,
    learn_vocabulary,
    token_labels,
    train_crf,
    write_atomic,
)
from .quotations import quote_frame

__all__ = ["rule_quotes", "training_sequences", "fit_attribution_model", "FEATURES"]

#: The feature groups written into the card (see attribution_features).
FEATURES = (
    "w: word identity, vocabulary only",
    "s: coarse shape / punctuation mark",
    "rv: reporting-verb class",
    "q: inside double quotes",
    "rc/rs/rk: rule-layer content kind, speaker, cue",
    "pr: pronoun; ti: title word; cw: learned cue word (not a verb form)",
    "sb/se/ws/pb: sentence first/last, window first, sentence opens its paragraph",
    "d: signed bucketed distance to the nearest cue form (verb form, according to, "
    "learned cue word) in the sentence",
    "cl: clause marks (, ; : ( ) dashes) between token and that cue form (0, 1, 2+)",
    "ac: after a complementizer (that/whether/if) within two tokens of a cue form",
    "nv: cue forms in the sentence (1, 2+)",
    "neighbours -2..+2: w/s, rv, q",
)


def _frags(value) -> list[tuple[int, int]]:
    if not isinstance(value, str) or not value:
        return []
    return [tuple(int(x) for x in p.split("-")) for p in value.split(";")]


def rule_quotes(ids, texts) -> tuple[list, dict[str, list[dict]]]:
    """The rule layer's sentences and quotes (as dict records per document).

    Examples
    --------
    >>> sents, q = rule_quotes(["a"], ['Kim said "no".'])
    >>> sents[0], q["a"][0]["kind"]
    ([(0, 14, 0)], 'partial')
    """
    all_sents, analyses = analyse_docs(list(ids), list(texts))
    qf = quote_frame(list(ids), list(texts), analyses)
    cols = ["doc_id", "start", "end", "kind", "speaker_start", "speaker_end"]
    cols += ["verb_start", "verb_end"]
    by: dict[str, list[dict]] = {}
    if len(qf):
        recs = qf[cols].astype(object).where(qf[cols].notna(), None)
        for r in recs.to_dict("records"):
            by.setdefault(r["doc_id"], []).append(r)
    return all_sents, by


def training_sequences(
    docs: pd.DataFrame, gold: pd.DataFrame, *, vocab, cue_words=(), context: int = 1
):
    """Feature and tag sequences of every gated window of ``docs``.

    Parameters
    ----------
    docs : DataFrame
        ``doc_id``, ``text``.
    gold : DataFrame
        ``doc_id``, ``content_frags``, ``cue_frags``, ``source_frags`` (``"s-e;s-e"``).
    vocab : set of str, keyword-only
        Words whose identity is a feature.
    cue_words : iterable of str, keyword-only
        Extra gate words.
    context : int, keyword-only
        Sentences of context around gated sentences (0 or 1).

    Returns
    -------
    xs, ys : lists
        Attribute sequences and BIO tag sequences, documents in the given order.
    """
    gate = gate_regex(cue_words)
    ids, texts = docs["doc_id"].tolist(), docs["text"].tolist()
    all_sents, rq = rule_quotes(ids, texts)
    g: dict[str, list[dict]] = {}
    for r in gold.to_dict("records"):
        g.setdefault(r["doc_id"], []).append(
            {k: _frags(r.get(k + "_frags")) for k in ("content", "cue", "source")}
        )
    xs, ys, cache = [], [], {}
    for did, text, sents in zip(ids, texts, all_sents):
        wins = doc_windows(
            text,
            sents,
            rq.get(did, []),
            gate=gate,
            vocab=vocab,
            context=context,
            cache=cache,
            cue_words=frozenset(cue_words),
        )
        for win in wins:
            xs.append(win["features"])
            ys.append(token_labels(len(text), g.get(did, []), win["starts"], win["ends"]))
    return xs, ys


def fit_attribution_model(
    docs: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    out: str | Path,
    c1: float = DEFAULT_PARAMS["c1"],
    c2: float = DEFAULT_PARAMS["c2"],
    max_iterations: int = DEFAULT_PARAMS["max_iterations"],
    min_df: int = DEFAULT_PARAMS["min_df"],
    min_cue: int = DEFAULT_PARAMS["min_cue"],
    cue_share: float = DEFAULT_PARAMS["cue_share"],
    context: int = DEFAULT_PARAMS["context"],
    card_extra: dict | None = None,
) -> dict:
    """Fit the attribution CRF and write ``out`` and its card ``out`` + ``.json``.

    long: validation of both tables, then vocabulary, gate words, fit and card in order

    Parameters
    ----------
    docs, gold : DataFrame
        As for :func:`training_sequences`.
    out : path, keyword-only
        The weights file to write (``.crfsuite``); the card goes beside it.
    c1, c2, max_iterations : keyword-only
        crfsuite L-BFGS penalties and iterations.
    min_df : int, keyword-only
        A word's identity is a feature only if it occurs in >= ``min_df`` documents.
    min_cue : int, keyword-only
        A word joins the gate when it is part of a gold cue >= ``min_cue`` times and
        in >= ``cue_share`` of its occurrences.
    context : {0, 1}, keyword-only
        Sentences of context the model reads around a gated sentence.
    card_extra : dict, optional, keyword-only
        More card entries (e.g. ``data_sha256``, cross-validated ``scores``).

    Returns
    -------
    dict
        The card.
    """
    for col in ("doc_id", "text"):
        if col not in docs.columns:
            raise TableError(f"docs needs the column {col!r}; give a table of doc_id and text")
    for col in ("doc_id", "content_frags", "cue_frags", "source_frags"):
        if col not in gold.columns:
            raise TableError(
                f"gold needs the column {col!r} (fragments 's-e;s-e'); read BRAT files with "
                "framelens.evaluation.brat.read_brat"
            )
    if not len(docs):
        raise ConfigError("no documents to fit the attribution model on")
    docs = docs.sort_values("doc_id", kind="stable").reset_index(drop=True)
    texts = docs["text"].tolist()
    vocab = learn_vocabulary(texts, min_df=min_df)
    cue_by = {d: [] for d in docs["doc_id"]}
    for d, f in zip(gold["doc_id"], gold["cue_frags"]):
        if d in cue_by:
            cue_by[d].extend(_frags(f))
    cue_words = learn_cue_words(
        texts, [cue_by[d] for d in docs["doc_id"]], vocab, min_count=min_cue, min_share=cue_share
    )
    if context not in (0, 1, 2):
        raise ConfigError(f"context must be 0, 1 (sentences) or 2 (paragraph), got {context!r}")
    xs, ys = training_sequences(docs, gold, vocab=vocab, cue_words=cue_words, context=context)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    train_crf(xs, ys, path=out, c1=c1, c2=c2, max_iterations=max_iterations)
    card = {
        "name": "framelens attribution CRF",
        "model_file": out.name,
        "params": {"c1": c1, "c2": c2, "max_iterations": max_iterations}
        | {"min_df": min_df, "min_cue": min_cue, "cue_share": cue_share, "context": context}
        | {"algorithm": "lbfgs"},
        "features": list(FEATURES),
        "n_documents": len(docs),
        "n_sequences": len(xs),
        "n_tokens": sum(map(len, xs)),
        "cue_words": sorted(cue_words),
        "vocabulary": sorted(vocab),
    } | (card_extra or {})
    write_atomic(
        out.with_suffix(".json"),
        (json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode(),
    )
    return card
