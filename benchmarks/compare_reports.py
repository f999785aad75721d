"""Compare two folders of rendered reports: the same text, tables and figures?

For a change that must not change what the reports show (a faster or leaner way to read
the tables), render the reports before and after and compare them::

    git worktree add /tmp/fl-before HEAD~1
    (cd /tmp/fl-before && PYTHONPATH=/tmp/fl-before/lib FRAMELENS_CACHE_DIR=/tmp/c-before \\
        ../path/to/.venv/bin/framelens run --workbook workbook.yaml --out /tmp/rep-before)
    FRAMELENS_CACHE_DIR=/tmp/c-after .venv/bin/framelens run --out /tmp/rep-after
    .venv/bin/python benchmarks/compare_reports.py /tmp/rep-before /tmp/rep-after

Per report page: the visible text (tags, scripts and styles removed, whitespace
collapsed) up to the provenance section, with run times and the two checkouts' paths
made equal, and every embedded figure byte for byte. Provenance (commit, keys, render
time) differs by design and is not compared. Exit code 1 when a page differs; the
first differences are printed.
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
import sys
from pathlib import Path

_DATA = re.compile(r"data:image/[a-z+.-]+;base64,([A-Za-z0-9+/=]+)")


def page_text(path: Path, roots: list[Path]) -> str:
    """The page's visible text before its provenance section (run times and the
    checkouts' paths masked)."""
    s = path.read_text(encoding="utf-8")
    for root in roots:
        s = s.replace(str(root.resolve()), "<checkout>")
    s = _DATA.sub("FIGURE", s)
    s = re.sub(r"<(script|style)\b.*?</\1>", "", s, flags=re.S | re.I)
    t = html.unescape(re.sub(r"<[^>]+>", " ", s))
    t = re.sub(r"\s+", " ", t).split(" Provenance report ")[0]
    return re.sub(r"\b\d+(\.\d+)? s\b", "<t> s", t)


def figures(path: Path) -> list[str]:
    return _DATA.findall(path.read_text(encoding="utf-8"))


def compare(before: Path, after: Path, *, root_before: Path, root_after: Path) -> list[str]:
    """One line per differing page (and its first differences)."""
    out = []
    for page in sorted(before.glob("*.html")):
        if page.name == "index.html":  # run times, commit: provenance only
            continue
        other = after / page.name
        if not other.exists():
            out.append(f"{page.name}: missing in {after}")
            continue
        roots = [root_before, root_after]
        a, b = page_text(page, roots), page_text(other, roots)
        fa, fb = figures(page), figures(other)
        if a == b and fa == fb:
            continue
        same = sum(x == y for x, y in zip(fa, fb))
        text = "same" if a == b else "DIFFERS"
        out.append(f"{page.name}: text {text}, figures {same} of {len(fa)} equal ({len(fb)} after)")
        sa, sb = a.split(" "), b.split(" ")
        ops = [o for o in difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes()
               if o[0] != "equal"][:5]  # fmt: skip
        for _, i1, i2, j1, j2 in ops:
            out.append(f"    - {' '.join(sa[max(i1 - 6, 0) : i2 + 2])[:200]}")
            out.append(f"    + {' '.join(sb[max(j1 - 6, 0) : j2 + 2])[:200]}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--root-before", type=Path, default=Path("/nonexistent"),
                    help="checkout the 'before' reports were rendered from")  # fmt: skip
    ap.add_argument("--root-after", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args(argv)
    diffs = compare(args.before, args.after, root_before=args.root_before,
                    root_after=args.root_after)  # fmt: skip
    pages = len([p for p in args.before.glob("*.html") if p.name != "index.html"])
    print("\n".join(diffs) if diffs else f"all {pages} report pages show the same text and figures")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
