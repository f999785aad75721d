"""Foundation benchmark: text layer and lexicon matching throughput, peak memory.

Builds a deterministic, news-like synthetic corpus (seeded generator, word lists written
here; no real articles) of at least ``--mb`` megabytes and reports, in one run:

1. the text layer (``framelens.text.process``: sentences, token counts, quotes, voice)
   against NLTK Punkt (untrained ``PunktSentenceTokenizer()``, no downloads) plus
   ``TreebankWordTokenizer().tokenize`` per sentence on the same texts (target >= 3x);
2. ``framelens.lexicon.match`` with a generated 2,000-pattern lexicon (words, globs,
   phrases), including sentence and voice bookkeeping, against one raw pyahocorasick
   ``iter()`` pass over the same lower-cased text (target >= 0.5x);
3. peak memory (``resource.getrusage`` max RSS) after each stage;
4. ``framelens.analyze`` end to end with and without sentiment, when available.

Usage::

    .venv/bin/python benchmarks/bench_foundation.py            # 20 MB corpus
    .venv/bin/python benchmarks/bench_foundation.py --quick    # 2 MB smoke run
    .venv/bin/python benchmarks/bench_foundation.py --only-lexicon --profile-lexicon
        # lexicon section only (text.process still runs: it gives the sentence and
        # voice tables the bookkeeping needs); writes benchmarks/out/lexicon_profile.txt

Results: a table on stdout and ``benchmarks/out/foundation.json``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "foundation.json"
SEED = 20241020

# --------------------------------------------------------------------------- word lists
# Written for this benchmark: generic news vocabulary, fictional and public names.
FIRST = [
    "Aleksandar",
    "Ana",
    "Milos",
    "Ivica",
    "Marta",
    "Dragan",
    "Jelena",
    "Petar",
    "Olga",
    "Sergei",
    "Maria",
    "Viktor",
    "Ursula",
    "Josep",
    "Emmanuel",
    "Olaf",
    "Nikola",
    "Tanja",
    "Boris",
    "Elena",
    "Stefan",
    "Vesna",
    "Milan",
    "Irena",
]
LAST = [
    "Vučić",
    "Brnabić",
    "Dačić",
    "Petrović",
    "Jovanović",
    "Marković",
    "Lavrov",
    "Ivanova",
    "Kovač",
    "Horvat",
    "Novak",
    "Popescu",
    "Weber",
    "Moreau",
    "Rossi",
    "Fischer",
    "Nikolić",
    "Stojanović",
    "Ilić",
    "Orlov",
    "Sokolova",
    "Berger",
]
TITLES = [
    "President",
    "Prime Minister",
    "Foreign Minister",
    "Defence Minister",
    "spokesperson",
    "ambassador",
    "envoy",
    "commissioner",
    "analyst",
    "mayor",
]
HONORIFICS = ["Mr.", "Ms.", "Dr.", "Gen.", "Prof.", "Sen.", "Rep.", "Gov."]
PLACES = [
    "Belgrade",
    "Moscow",
    "Brussels",
    "Kyiv",
    "Washington",
    "Berlin",
    "Paris",
    "Novi Sad",
    "Pristina",
    "Budapest",
    "Vienna",
    "Ankara",
    "Beijing",
    "London",
    "Niš",
    "Sarajevo",
    "Zagreb",
    "Podgorica",
    "Skopje",
    "Sofia",
]
ORGS = [
    "the European Union",
    "the EU",
    "NATO",
    "the Kremlin",
    "the U.N.",
    "the U.S.",
    "the government",
    "the opposition",
    "the parliament",
    "the ministry",
    "the central bank",
    "the IMF",
    "the Council",
    "the Commission",
    "Gazprom",
    "the army",
    "state media",
    "the delegation",
    "the embassy",
    "the alliance",
]
VERBS_PAST = [
    "announced",
    "signed",
    "rejected",
    "welcomed",
    "criticised",
    "discussed",
    "approved",
    "blocked",
    "proposed",
    "extended",
    "reviewed",
    "postponed",
    "condemned",
    "supported",
    "negotiated",
    "backed",
    "opposed",
    "suspended",
    "launched",
    "completed",
    "expanded",
    "reduced",
    "raised",
    "renewed",
]
NOUNS = [
    "agreement",
    "sanctions",
    "talks",
    "deal",
    "treaty",
    "summit",
    "pipeline",
    "election",
    "referendum",
    "loan",
    "investment",
    "tariff",
    "embargo",
    "border",
    "reform",
    "budget",
    "alliance",
    "partnership",
    "plan",
    "proposal",
    "memorandum",
    "gas",
    "oil",
    "energy",
    "trade",
    "security",
    "defence",
    "exercise",
    "weapons",
    "troops",
    "aid",
    "grant",
    "strategy",
    "dialogue",
    "accession",
    "membership",
    "negotiations",
    "ceasefire",
    "corridor",
    "infrastructure",
    "railway",
    "factory",
    "protest",
    "campaign",
    "vote",
    "poll",
    "report",
    "investigation",
    "court",
    "ruling",
    "law",
    "constitution",
    "minority",
    "refugees",
    "migration",
    "visa",
    "tourism",
    "exports",
    "imports",
    "inflation",
    "prices",
    "wages",
    "pensions",
    "jobs",
    "unemployment",
    "growth",
    "debt",
    "bonds",
    "currency",
    "reserves",
]
ADJS = [
    "bilateral",
    "strategic",
    "economic",
    "military",
    "political",
    "historic",
    "controversial",
    "unprecedented",
    "fragile",
    "long-term",
    "joint",
    "new",
    "major",
    "key",
    "so-called",
    "illegal",
    "legitimate",
    "peaceful",
    "hostile",
    "neutral",
    "western",
    "eastern",
    "regional",
    "national",
    "European",
    "Russian",
    "Serbian",
    "Chinese",
    "American",
    "Ukrainian",
    "modest",
    "sharp",
    "massive",
]
ADVS = [
    "reportedly",
    "allegedly",
    "clearly",
    "reluctantly",
    "quietly",
    "openly",
    "repeatedly",
    "firmly",
    "cautiously",
    "sharply",
    "briefly",
    "finally",
]
REPORT = [
    "said",
    "told reporters",
    "stated",
    "claimed",
    "insisted",
    "admitted",
    "noted",
    "argued",
    "warned",
    "explained",
    "stressed",
    "added",
    "denied",
    "acknowledged",
    "suggested",
    "asserted",
    "confirmed",
    "alleged",
]
MONTHS = [
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
]
CONNECT = [
    "However,",
    "Meanwhile,",
    "In addition,",
    "At the same time,",
    "Earlier,",
    "Later,",
    "On Monday,",
    "On Tuesday,",
    "Last week,",
    "In a statement,",
]
FILLER = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "for",
    "with",
    "on",
    "over",
    "after",
    "before",
    "against",
    "between",
    "about",
    "from",
    "under",
    "during",
]


class Gen:
    """Seeded generator of news-like paragraphs (quotes, reporting verbs, abbreviations)."""

    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def c(self, seq):
        return seq[self.r.randrange(len(seq))]

    def person(self, start: bool = True):
        r = self.r.random()
        if r < 0.3:
            return f"{self.c(FIRST)} {self.c(LAST)}"
        if r < 0.55:
            return f"{self.c(HONORIFICS)} {self.c(LAST)}"
        if r < 0.8:
            return (
                f"{self.c(TITLES).capitalize() if r < 0.7 else self.c(TITLES)} "
                f"{self.c(FIRST)} {self.c(LAST)}"
            )
        p = self.c(["He", "She", "The minister", "The Serbian leader", "The official"])
        return p if start else p[0].lower() + p[1:]

    def np_(self):
        n = self.c(NOUNS)
        r = self.r.random()
        if r < 0.4:
            return f"the {self.c(ADJS)} {n}"
        if r < 0.7:
            return f"the {n} {self.c(FILLER[5:])} {self.c(ORGS)}"
        return f"a {self.c(ADJS)} {n} {self.c(FILLER[5:])} {self.c(PLACES)}"

    def clause(self):
        r = self.r.random()
        subj = (
            self.c(ORGS)
            if r < 0.5
            else self.c(["we", "they", "our country", "nobody", "the people", "this government"])
        )
        s = f"{subj} {self.c(VERBS_PAST)} {self.np_()}"
        if self.r.random() < 0.5:
            s += f" {self.c(FILLER[5:])} {self.np_()}"
        if self.r.random() < 0.3:
            s += f" on {self.c(MONTHS)} {self.r.randint(1, 28)}"
        if self.r.random() < 0.2:
            s += f", worth ${self.r.randint(2, 900)} million"
        return s

    def sentence(self):
        r = self.r.random()
        q1, q2 = ('"', '"') if self.r.random() < 0.6 else ("\u201c", "\u201d")
        cl = self.clause()
        if r < 0.34:  # author statement
            lead = self.c(CONNECT) + " " if self.r.random() < 0.3 else ""
            s = (
                f"{lead}{self.c(ORGS)} {self.c(ADVS) + ' ' if self.r.random() < 0.2 else ''}"
                f"{self.c(VERBS_PAST)} {self.np_()} in {self.c(PLACES)}"
            )
            if self.r.random() < 0.3:
                s += f" at {self.r.randint(1, 11)} p.m. local time"
            return s[0].upper() + s[1:] + "."
        if r < 0.52:  # quote first
            return f"{q1}{cl[0].upper() + cl[1:]},{q2} {self.person(False)} {self.c(REPORT)}."
        if r < 0.64:  # speaker first
            return f"{self.person()} {self.c(REPORT)}: {q1}{cl[0].upper() + cl[1:]}.{q2}"
        if r < 0.72:  # quote spanning two sentences
            c2 = self.clause()
            return (
                f"{q1}{cl[0].upper() + cl[1:]}. {c2[0].upper() + c2[1:]},{q2} "
                f"{self.person(False)} {self.c(REPORT)}."
            )
        if r < 0.84:  # indirect
            return f"{self.person()} {self.c(REPORT)} that {cl}."
        if r < 0.92:
            return f"According to {self.person(False)}, {cl}."
        # partial quote
        return (
            f"{self.person()} described {self.np_()} as {q1}{self.c(ADJS)} and {self.c(ADJS)}{q2}."
        )

    def article(self, i: int) -> tuple[str, str]:
        title = (
            f"{self.c(ORGS).replace('the ', '').title()} {self.c(VERBS_PAST)} "
            f"{self.c(NOUNS)} - {self.c(LAST)} says"
        )
        paras = []
        for _ in range(self.r.randint(5, 12)):
            paras.append(" ".join(self.sentence() for _ in range(self.r.randint(2, 5))))
        dateline = f"{self.c(PLACES).upper()}, {self.c(MONTHS)} {self.r.randint(1, 28)} (Wire) - "
        return title, dateline + "\n\n".join(paras)


def build_corpus(mb: float, seed: int = SEED) -> pd.DataFrame:
    """A deterministic docs table of at least ``mb`` megabytes of UTF-8 text."""
    g = Gen(seed)
    ids, titles, texts, size, i = [], [], [], 0, 0
    target = int(mb * 1_000_000)
    while size < target:
        t, body = g.article(i)
        ids.append(f"bench{i:06d}")
        titles.append(t)
        texts.append(body)
        size += len(body.encode("utf-8"))
        i += 1
    return pd.DataFrame({"doc_id": ids, "title": titles, "text": texts})


def build_lexicon(n: int = 2000, seed: int = SEED):
    """A deterministic n-pattern lexicon: words, prefix globs and phrases, 20 categories."""
    from framelens import lexicon

    r = random.Random(seed + 1)
    vocab = sorted(
        {
            w.lower().strip(".,")
            for lst in (NOUNS, ADJS, VERBS_PAST, ADVS, PLACES, LAST, FIRST, TITLES)
            for w in lst
            for w in w.split()
        }
    )
    pats: list[str] = []
    seen: set[str] = set()

    def add(p):
        if p not in seen:
            seen.add(p)
            pats.append(p)

    for w in vocab:  # every vocabulary word once
        add(w)
    for w in vocab:  # prefix globs of the longer words
        if len(w) >= 6:
            add(w[: max(4, len(w) - 3)] + "*")
    while len(pats) < n:  # phrases of two or three vocabulary words (most rarely occur)
        k = 2 if r.random() < 0.7 else 3
        words = [r.choice(vocab) for _ in range(k)]
        if r.random() < 0.15 and len(words[-1]) >= 5:
            words[-1] = words[-1][:4] + "*"
        add(" ".join(words))
    pats = pats[:n]
    cats: dict[str, list] = {f"cat{j:02d}": [] for j in range(20)}
    for j, p in enumerate(pats):
        cats[f"cat{j % 20:02d}"].append(p if j % 7 else {"term": p, "weight": 0.5})
    return lexicon.Lexicon.from_dict(
        {
            "name": "bench",
            "version": "1",
            "description": "generated benchmark lexicon",
            "categories": cats,
        }
    )


# --------------------------------------------------------------------------- measures
def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


#: Timings are CPU seconds of this process (time.process_time, all threads): on a
#: shared machine wall-clock times swing with other load; wall times are kept too.
TIMINGS: list[dict] = []


def timed(fn, *a, **k):
    gc.collect()
    w = time.perf_counter()
    t = time.process_time()
    out = fn(*a, **k)
    cpu = time.process_time() - t
    TIMINGS.append(
        {
            "step": getattr(fn, "__name__", "fn"),
            "cpu_s": round(cpu, 3),
            "wall_s": round(time.perf_counter() - w, 3),
        }
    )
    return out, cpu


def baseline_nltk(texts):
    from nltk.tokenize import TreebankWordTokenizer
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    punkt = PunktSentenceTokenizer()
    tb = TreebankWordTokenizer()
    n_sent = n_tok = 0
    for t in texts:
        for s in punkt.tokenize(t):
            n_sent += 1
            n_tok += len(tb.tokenize(s))
    return n_sent, n_tok


def simple_text_tables(docs):
    """Stand-in sentences/segments (only when framelens.text is missing): split at
    '. ', all author voice. Used so the lexicon section still measures bookkeeping."""
    import re

    rows_s, rows_g = [], []
    for did, t in zip(docs["doc_id"], docs["text"]):
        ends = [m.end() for m in re.finditer(r"[.!?][\"\u201d]?\s", t)] + [len(t)]
        st = 0
        for k, e in enumerate(ends):
            rows_s.append((did, k, 0, st, e, "", 0))
            st = e
        rows_g.append((did, 0, len(t), "author", None))
    sentences = pd.DataFrame(
        rows_s, columns=["doc_id", "sent_id", "para_id", "start", "end", "text", "n_words"]
    )
    segments = pd.DataFrame(rows_g, columns=["doc_id", "start", "end", "voice", "quote_id"])
    return sentences, segments


def raw_ac_pass(terms, lowered: str):
    import ahocorasick

    auto = ahocorasick.Automaton()
    for j, p in enumerate(dict.fromkeys(terms)):
        auto.add_word(p.rstrip("*").lower(), j)
    auto.make_automaton()

    def run():
        n = 0
        for _ in auto.iter(lowered):
            n += 1
        return n

    return run


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import ahocorasick  # noqa: F401
    import nltk

    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "nltk": nltk.__version__,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--quick", action="store_true", help="2 MB corpus, 1 MB analyze run")
    ap.add_argument(
        "--analyze-mb",
        type=float,
        default=1.0,
        help="MB of the corpus for the analyze() end-to-end runs (default 1; 0 skips them)",
    )
    ap.add_argument(
        "--profile-text",
        action="store_true",
        help="also profile text.process on 1 MB into benchmarks/out/text_profile.txt",
    )
    ap.add_argument("--batch", type=int, default=200, help="documents per text.process call")
    ap.add_argument("--skip-baseline", action="store_true", help="skip the (slow) NLTK baseline")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs of the lexicon section (best is reported; default 3)",
    )
    ap.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace the Python allocations of one lexicon.match run",
    )
    ap.add_argument(
        "--only-lexicon",
        action="store_true",
        help="lexicon section only: no NLTK baseline, no text profile, no "
        "analyze runs (text.process still runs for the bookkeeping "
        "tables); the JSON goes to foundation_lexicon.json unless --out",
    )
    ap.add_argument(
        "--profile-lexicon",
        action="store_true",
        help="also write a cProfile (CPU time) of one lexicon.match run per "
        "lexicon set to benchmarks/out/lexicon_profile.txt",
    )
    ap.add_argument("--out", default=None)
    args = ap.parse_args(argv)
    if args.only_lexicon:
        args.skip_baseline, args.profile_text, args.analyze_mb = True, False, 0.0
    if args.out is None:
        args.out = str(OUT.with_name("foundation_lexicon.json") if args.only_lexicon else OUT)
    if args.quick:
        args.mb, args.analyze_mb = 2.0, min(args.analyze_mb, 0.5)
    res: dict = {
        "command": "python benchmarks/bench_foundation.py "
        + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine_info(),
    }

    import framelens
    from framelens import lexicon

    res["framelens"] = framelens.__version__
    docs, t_build = timed(build_corpus, args.mb)
    texts = docs["text"].tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    nchar = sum(len(t) for t in texts)
    res["corpus"] = {
        "docs": len(docs),
        "mb": round(mb, 2),
        "chars": nchar,
        "build_s": round(t_build, 2),
        "seed": SEED,
    }
    print(f"corpus: {len(docs)} docs, {mb:.1f} MB ({t_build:.1f} s to build)", flush=True)
    res["rss_mb"] = {"after_corpus": round(maxrss_mb(), 1)}

    # 1. text layer -------------------------------------------------------------------
    sec: dict = {}
    try:
        from framelens import text as ftext

        process = ftext.process
    except ImportError as exc:
        process = None
        sec["status"] = f"not available ({exc})"
    if not args.skip_baseline:
        (n_sent_b, n_tok_b), tb = timed(baseline_nltk, texts)
        sec["baseline"] = {
            "name": "NLTK PunktSentenceTokenizer() + TreebankWordTokenizer",
            "seconds": round(tb, 2),
            "mb_s": round(mb / tb, 2),
            "sentences": n_sent_b,
            "tokens": n_tok_b,
        }
        print(f"baseline NLTK: {tb:.1f} s, {mb / tb:.2f} MB/s", flush=True)
    sentences = segments = None
    if process is not None:

        def run_text():
            parts = [
                process(docs.iloc[i : i + args.batch]) for i in range(0, len(docs), args.batch)
            ]
            return {
                k: pd.concat([p[k] for p in parts], ignore_index=True)
                for k in ("sentences", "quotes", "segments")
            }

        tables, tt = timed(run_text)
        sentences, segments = tables["sentences"], tables["segments"]
        sec["framelens"] = {
            "seconds": round(tt, 2),
            "mb_s": round(mb / tt, 2),
            "batch_docs": args.batch,
            "sentences": len(sentences),
            "words": int(sentences["n_words"].sum()),  # core.tokens words (the length unit)
            "quotes": len(tables["quotes"]),
            "quotes_by_kind": tables["quotes"]["kind"].astype(str).value_counts().to_dict(),
            "segments": len(segments),
        }
        sec["status"] = "ok"
        if "baseline" in sec:
            sec["ratio"] = round(sec["baseline"]["seconds"] / tt, 2)
            sec["target"] = 3.0
            sec["meets_target"] = sec["ratio"] >= 3.0
        print(f"framelens.text.process: {tt:.1f} s, {mb / tt:.2f} MB/s", flush=True)
        del tables
        if args.profile_text:
            import cProfile
            import io
            import pstats

            sub = docs.iloc[: max(1, int(len(docs) / mb))]  # about 1 MB
            prof = cProfile.Profile(time.process_time)
            prof.enable()
            process(sub)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(30)
            ppath = Path(args.out).parent / "text_profile.txt"
            ppath.parent.mkdir(parents=True, exist_ok=True)
            ppath.write_text(buf.getvalue(), encoding="utf-8")
            sec["profile"] = str(ppath)
    res["text_layer"] = sec
    res["rss_mb"]["after_text"] = round(maxrss_mb(), 1)

    # 2. lexicon matching -------------------------------------------------------------
    if sentences is None:
        sentences, segments = simple_text_tables(docs)
        tables_from = "stand-in (framelens.text not available)"
    else:
        tables_from = "framelens.text.process"
    joined = "\n".join(texts)
    lowered, tlow = timed(str.lower, joined)
    del joined
    gen = build_lexicon(2000)
    sets = {
        "generated": (
            "generated 2,000-pattern lexicon (every vocabulary word of the "
            "corpus generator is a pattern: a dense worst case)",
            [gen],
        )
    }
    try:
        from framelens.pipeline import DEFAULT_LEXICONS
    except ImportError:
        DEFAULT_LEXICONS = ()
    builtin = [n for n in DEFAULT_LEXICONS if n in lexicon.available()]
    if builtin:
        sets["builtin"] = (
            f"the pipeline's built-in lexicons {builtin} in one matcher (realistic density)",
            [lexicon.load(n) for n in builtin],
        )
    res["lexicon"] = {}
    for key, (label, lexs) in sets.items():
        sec = {"lexicons": label, "bookkeeping_tables": tables_from}
        matcher, tc = timed(lexicon.Matcher, lexs)
        terms = [
            t
            for t, k in zip(matcher.patterns["term"].tolist(), matcher.patterns["kind"].astype(str))
            if k != "regex"
        ]
        run_raw = raw_ac_pass(terms, lowered)
        # best of --repeat runs each, interleaved (the machine may be shared)
        trs, tms = [], []
        matches = None
        for _ in range(args.repeat):
            n_raw, t = timed(run_raw)
            trs.append(t)
            matches = None  # free the previous run's table first
            matches, t = timed(lexicon.match, docs, matcher, sentences=sentences, segments=segments)
            tms.append(t)
        tr, tm = min(trs), min(tms)
        counts, tcount = timed(lexicon.count, matches, matcher, index=docs["doc_id"])
        locname = "framelens.core.spans.locate"  # the one span locator
        sec.update(
            {
                "patterns": len(matcher.patterns),
                "kinds": matcher.patterns["kind"].astype(str).value_counts().to_dict(),
                "compile_s": round(tc, 3),
                "baseline": {
                    "name": "one raw pyahocorasick Automaton.iter() pass over the "
                    "lower-cased text with the same terms (all hits, no word "
                    "boundaries; lower() not timed)",
                    "seconds": round(tr, 3),
                    "mb_s": round(mb / tr, 2),
                    "hits": n_raw,
                    "all_runs_s": [round(t, 3) for t in trs],
                    "lower_s": round(tlow, 3),
                },
                "framelens": {
                    "seconds": round(tm, 3),
                    "mb_s": round(mb / tm, 2),
                    "matches": len(matches),
                    "locate": locname,
                    "all_runs_s": [round(t, 3) for t in tms],
                },
                "count_s": round(tcount, 3),
                "count_rows": len(counts),
                "matches_table_mb": round(matches.memory_usage(deep=True).sum() / 1e6, 1),
                "ratio": round(tr / tm, 2),
                "target": 0.5,
                "meets_target": tr / tm >= 0.5,
                "ratio_incl_lower": round((tr + tlow) / tm, 2),
            }
        )
        if args.profile_lexicon:
            import cProfile
            import io
            import pstats

            matches = None
            gc.collect()
            prof = cProfile.Profile(time.process_time)
            prof.enable()
            lexicon.match(docs, matcher, sentences=sentences, segments=segments)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
            ppath = Path(args.out).parent / "lexicon_profile.txt"
            ppath.parent.mkdir(parents=True, exist_ok=True)
            mode = "w" if key == next(iter(sets)) else "a"
            with ppath.open(mode, encoding="utf-8") as fh:
                fh.write(f"==== lexicon.match, {key}: {label}\n{buf.getvalue()}\n")
            sec["profile"] = str(ppath)
        if args.tracemalloc:
            import tracemalloc

            matches = None
            tracemalloc.start()
            lexicon.match(docs, matcher, sentences=sentences, segments=segments)
            sec["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
            tracemalloc.stop()
        print(
            f"[{key}] raw pyahocorasick: {tr:.2f} s ({n_raw} hits); lexicon.match: "
            f"{tm:.2f} s ({sec['framelens']['matches']} matches)",
            flush=True,
        )
        res["lexicon"][key] = sec
        del matches, counts
    res["rss_mb"]["after_lexicon"] = round(maxrss_mb(), 1)
    del lowered, sentences, segments
    gc.collect()

    # 3. analyze end to end --------------------------------------------------------
    sec = {}
    try:
        from framelens.pipeline import Config, analyze
    except ImportError as exc:
        sec["status"] = f"not available ({exc})"
    if args.analyze_mb <= 0:
        sec["status"] = "skipped (--analyze-mb 0)"
    elif "status" not in sec:
        sub, size = [], 0
        for t in texts:
            if size >= args.analyze_mb * 1e6:
                break
            sub.append(t)
            size += len(t.encode("utf-8"))
        sdocs = docs.iloc[: len(sub)][["doc_id", "title", "text"]].copy()
        smb = size / 1e6
        sec["mb"] = round(smb, 2)
        sec["docs"] = len(sdocs)
        for label, senti in (("without_sentiment", False), ("with_sentiment", True)):
            try:
                _, ta = timed(
                    analyze, sdocs, Config(sentiment=senti), use_cache=False, progress=False
                )
                sec[label] = {"seconds": round(ta, 2), "mb_s": round(smb / ta, 3)}
                print(f"analyze ({label}): {ta:.1f} s, {smb / ta:.2f} MB/s", flush=True)
            except ImportError as exc:
                sec[label] = f"not available ({exc})"
            except Exception as exc:  # report, do not hide: the other sections stand
                sec[label] = f"failed: {type(exc).__name__}: {exc}"
                print(f"analyze ({label}) failed: {exc}", flush=True)
        sec["status"] = "ok"
    res["analyze"] = sec
    res["rss_mb"]["peak"] = round(maxrss_mb(), 1)
    res["timings"] = TIMINGS
    res["timing_note"] = (
        "seconds are CPU seconds of the process (time.process_time); "
        "wall-clock seconds per step are in 'timings'"
    )

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(res)
    print(f"\nwritten {out}")
    return 0


def print_table(res: dict) -> None:
    rows = []
    tl = res["text_layer"]
    if "baseline" in tl:
        rows.append(("text: NLTK Punkt + Treebank (baseline)", tl["baseline"]["mb_s"], ""))
    if "framelens" in tl:
        rows.append(
            (
                "text: framelens.text.process",
                tl["framelens"]["mb_s"],
                f"{tl['ratio']}x (target >= 3x)" if "ratio" in tl else "no baseline run",
            )
        )
    elif tl.get("status"):
        rows.append(("text: framelens.text.process", None, tl["status"]))
    for key, lx in res["lexicon"].items():
        rows.append(
            (
                f"lexicon [{key}, {lx['patterns']} patterns]: raw pyahocorasick",
                lx["baseline"]["mb_s"],
                f"{lx['baseline']['hits']} hits",
            )
        )
        rows.append(
            (
                f"lexicon [{key}]: framelens.lexicon.match",
                lx["framelens"]["mb_s"],
                f"{lx['ratio']}x (target >= 0.5x); {lx['ratio_incl_lower']}x with "
                "the baseline's lower()",
            )
        )
    an = res["analyze"]
    for label in ("without_sentiment", "with_sentiment"):
        v = an.get(label)
        if isinstance(v, dict):
            rows.append((f"analyze {label.replace('_', ' ')} ({an['mb']} MB)", v["mb_s"], ""))
        elif v:
            rows.append((f"analyze {label.replace('_', ' ')}", None, v))
    if an.get("status", "").startswith(("not", "skipped")):
        rows.append(("analyze", None, an["status"]))
    print(f"\n{'stage':<58} {'MB/s':>8}  ratio / note")
    print("-" * 110)
    for name, v, note in rows:
        vs = f"{v:8.2f}" if isinstance(v, (int, float)) else f"{'-':>8}"
        print(f"{name:<58} {vs}  {note}")
    print(f"peak RSS: {res['rss_mb']['peak']:.0f} MB  ({res['rss_mb']})")


if __name__ == "__main__":
    sys.exit(main())
