"""The house rules, checked on the source (parsed with :mod:`ast`, nothing imported).

Each rule is a checker function over a folder, returning one line per offence
(``path:line: what``). A test runs it on the repository, and a test on a small
synthetic tree in ``tmp_path`` proves that the checker does catch the offence.

Rules (docs/contributing.md explains them):

a. ``framelens.core`` imports nothing else from framelens (but ``framelens.errors``,
   which itself imports nothing from framelens).
b. ``framelens.measures`` never imports ``framelens.report``, ``framelens.runner`` or
   ``framelens.cli``.
c. ``framelens.report`` never recomputes a measure: it does not import a measure's
   ``step`` (nor call ``<measure module>.step``).
d. No module imports another module's private name: neither ``from x import _y`` nor
   ``mod._y`` on an imported framelens module (stdlib and third-party privates such as
   ``re._parser`` are not ours to judge).
e. A package's submodule never shares its name with a name the package's
   ``__init__`` binds (``framelens.text.quotes`` is the function, the module is
   ``text.quotations``).
f. No module over 600 lines; no function over 80 lines unless its docstring or the
   first comment line of its body says ``long: <reason>``.
g. Every notebook declares the kernel ``framelens``.
h. README.md and docs/*.md name only repository files that exist (a path written as
   code or linked; a file a walk-through asks you to create is written in bold instead).
i. Each room imports only the rooms listed for it in ``ROOM_IMPORTS`` (the layering of
   docs/contributing.md; ``from framelens import __version__`` is allowed everywhere).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "lib" / "framelens"
NOTEBOOKS = ROOT / "notebooks"

#: The rooms each room may import (besides itself): a layering without cycles.
_BASE = ("errors", "core")
ROOM_IMPORTS = {
    "errors": (),
    "core": ("errors",),
    "corpus": _BASE,
    "lexicon": _BASE,
    "text": (*_BASE, "lexicon"),
    "actors": (*_BASE, "lexicon", "text"),
    "sentiment": _BASE,
    "stats": _BASE,
    "measures": (*_BASE, "lexicon", "text", "actors", "sentiment", "stats"),
    "pipeline": (*_BASE, "corpus", "lexicon", "text", "actors", "sentiment", "stats", "measures"),
    "report": (
        *_BASE,
        "corpus",
        "lexicon",
        "text",
        "actors",
        "sentiment",
        "stats",
        "measures",
        "pipeline",
        "coding",
    ),
    "coding": (*_BASE, "stats"),
    "runner": (*_BASE, "corpus", "pipeline", "report"),
    "evaluation": (*_BASE, "corpus", "lexicon", "text", "actors", "sentiment", "stats", "measures"),
    "cli": (*_BASE, "corpus", "pipeline", "runner", "evaluation", "coding", "measures"),
}

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# a docstring line or the first comment line of the body that starts with "long: <reason>"
LONG_MARKER = re.compile(r"^\s*(#\s*)?long:\s*\S", re.MULTILINE)


# --------------------------------------------------------------------------- parsing


@dataclass
class Module:
    """One parsed module of the package."""

    name: str  # dotted: framelens.core.schema
    path: Path
    source: str
    tree: ast.Module
    is_package: bool  # an __init__.py

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.is_package else self.name.rpartition(".")[0]


@dataclass
class Import:
    """One import statement, with its module resolved to an absolute name."""

    module: str  # the imported module (for `from m import a`, m)
    names: list[str] = field(default_factory=list)  # for `from m import a, b`: [a, b]
    lineno: int = 0


def parse_package(pkg_dir: Path) -> list[Module]:
    """Every module under ``pkg_dir`` (a folder named after the top-level package)."""
    pkg_dir = Path(pkg_dir)
    out = []
    for path in sorted(pkg_dir.rglob("*.py")):
        rel = path.relative_to(pkg_dir.parent).with_suffix("")
        parts = list(rel.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        out.append(Module(".".join(parts), path, source, tree, is_package))
    return out


def _resolve(mod: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = mod.package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(mod: Module) -> list[Import]:
    """Every import in ``mod`` (also inside functions), absolute."""
    out = []
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Import):
            out += [Import(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            out.append(Import(_resolve(mod, node), [a.name for a in node.names], node.lineno))
    return out


def bound_modules(mod: Module, top: str) -> dict[str, str]:
    """Local names bound by an import to something of package ``top``: name -> dotted."""
    bound = {}
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if _within(a.name, top):
                    bound[a.asname or a.name.partition(".")[0]] = a.name if a.asname else top
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(mod, node)
            if _within(base, top):
                for a in node.names:
                    bound[a.asname or a.name] = f"{base}.{a.name}"
    return bound


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _where(mod: Module, lineno: int, root: Path) -> str:
    try:
        path = mod.path.relative_to(root)
    except ValueError:
        path = mod.path
    return f"{path}:{lineno}"


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


# --------------------------------------------------------------------------- checkers


def core_imports_upward(pkg_dir: Path) -> list[str]:
    """Rule a: core (and errors) import nothing else from the package."""
    modules = parse_package(pkg_dir)
    top = Path(pkg_dir).name
    allowed = {"core": (f"{top}.core", f"{top}.errors"), "errors": ()}
    bad = []
    for mod in modules:
        room = mod.name.split(".")[1] if "." in mod.name else ""
        if room not in allowed:
            continue
        for imp in imports_of(mod):
            for target in _targets(imp):
                if _within(target, top) and not any(_within(target, a) for a in allowed[room]):
                    bad.append(f"{_where(mod, imp.lineno, pkg_dir)}: {mod.name} imports {target}")
    return bad


def _targets(imp: Import) -> list[str]:
    """What an import reaches: the module, or for `from pkg import x` each pkg.x."""
    if not imp.names:
        return [imp.module]
    return [f"{imp.module}.{n}" if n != "*" else imp.module for n in imp.names]


def room_imports(pkg_dir: Path, *, allowed: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Rule i: each room imports only the rooms it may (``ROOM_IMPORTS``)."""
    allowed = ROOM_IMPORTS if allowed is None else allowed
    top = Path(pkg_dir).name
    bad = []
    for mod in parse_package(pkg_dir):
        parts = mod.name.split(".")
        if len(parts) < 2:
            continue  # the package's own lazy __init__
        room = parts[1]
        for imp in imports_of(mod):
            for target in _targets(imp):
                tparts = target.split(".")
                if tparts[0] != top or len(tparts) < 2 or tparts[1] in (room, "__version__"):
                    continue
                if room not in allowed:
                    bad.append(f"{_where(mod, imp.lineno, pkg_dir)}: room {room!r} is not listed")
                elif tparts[1] not in allowed[room]:
                    bad.append(
                        f"{_where(mod, imp.lineno, pkg_dir)}: {room} imports {target} "
                        f"({room} may import: {', '.join(allowed[room]) or 'nothing'})"
                    )
    return bad


def measures_import_outer_rooms(pkg_dir: Path) -> list[str]:
    """Rule b: measures never import report, runner or cli."""
    top = Path(pkg_dir).name
    outer = [f"{top}.report", f"{top}.runner", f"{top}.cli"]
    bad = []
    for mod in parse_package(pkg_dir):
        if not _within(mod.name, f"{top}.measures"):
            continue
        for imp in imports_of(mod):
            for target in _targets(imp):
                if any(_within(target, o) for o in outer):
                    bad.append(f"{_where(mod, imp.lineno, pkg_dir)}: {mod.name} imports {target}")
    return bad


def report_recomputes_measures(pkg_dir: Path) -> list[str]:
    """Rule c: report imports no measure's ``step`` and calls no ``<measure>.step``."""
    top = Path(pkg_dir).name
    measures = f"{top}.measures"
    bad = []
    for mod in parse_package(pkg_dir):
        if not _within(mod.name, f"{top}.report"):
            continue
        for imp in imports_of(mod):
            if _within(imp.module, measures) and "step" in imp.names:
                bad.append(
                    f"{_where(mod, imp.lineno, pkg_dir)}: imports step from {imp.module} "
                    "(read the analysis tables instead)"
                )
        bound = bound_modules(mod, top)
        for node in ast.walk(mod.tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "step"
                and isinstance(node.value, ast.Name)
                and _within(bound.get(node.value.id, ""), measures)
            ):
                bad.append(
                    f"{_where(mod, node.lineno, pkg_dir)}: uses {node.value.id}.step "
                    "(read the analysis tables instead)"
                )
    return bad


def private_imports(pkg_dir: Path) -> list[str]:
    """Rule d: no `from x import _y` and no `mod._y` on an imported module of the package."""
    top = Path(pkg_dir).name
    bad = []
    for mod in parse_package(pkg_dir):
        for node in ast.walk(mod.tree):
            if isinstance(node, ast.ImportFrom) and _within(_resolve(mod, node), top):
                for a in node.names:
                    if _is_private(a.name):
                        bad.append(
                            f"{_where(mod, node.lineno, pkg_dir)}: "
                            f"from {_resolve(mod, node)} import {a.name}"
                        )
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if any(_is_private(p) for p in a.name.split(".")[1:]):
                        bad.append(f"{_where(mod, node.lineno, pkg_dir)}: import {a.name}")
        bound = bound_modules(mod, top)
        for node in ast.walk(mod.tree):
            if not (isinstance(node, ast.Attribute) and _is_private(node.attr)):
                continue
            chain = _dotted(node.value)
            if chain is None:
                continue
            head, _, rest = chain.partition(".")
            if head in bound:
                target = bound[head] + ("." + rest if rest else "")
                bad.append(f"{_where(mod, node.lineno, pkg_dir)}: {chain}.{node.attr} ({target})")
    return bad


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def shadowed_submodules(pkg_dir: Path) -> list[str]:
    """Rule e: no submodule named like a name its package's __init__ binds."""
    bad = []
    for mod in parse_package(pkg_dir):
        if not mod.is_package:
            continue
        folder = mod.path.parent
        subs = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        subs |= {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}
        for name, lineno, what in _bindings(mod):
            if name in subs and what != f"{mod.name}.{name}":
                bad.append(
                    f"{_where(mod, lineno, pkg_dir)}: {mod.name}.{name} is bound to {what} "
                    f"but is also the submodule {mod.name}.{name}"
                )
    return bad


def _bindings(mod: Module):
    """(name, line, what) for each top-level name of an __init__; what is dotted if known."""
    for node in mod.tree.body:
        if isinstance(node, ast.ImportFrom):
            base = _resolve(mod, node)
            for a in node.names:
                yield a.asname or a.name, node.lineno, f"{base}.{a.name}"
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield (a.asname or a.name.partition(".")[0]), node.lineno, a.name
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name, node.lineno, f"a {type(node).__name__} in __init__"
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for n in ast.walk(t):
                    if isinstance(n, ast.Name):
                        yield n.id, node.lineno, "a value in __init__"


def oversize(
    pkg_dir: Path, *, max_module: int = MAX_MODULE_LINES, max_function: int = MAX_FUNCTION_LINES
) -> list[str]:
    """Rule f: module and function sizes (a function may say ``long: <reason>``)."""
    bad = []
    for mod in parse_package(pkg_dir):
        lines = mod.source.splitlines()
        if len(lines) > max_module:
            bad.append(f"{_where(mod, 1, pkg_dir)}: module has {len(lines)} lines > {max_module}")
        for node in ast.walk(mod.tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            n = node.end_lineno - node.lineno + 1
            if n > max_function and not _says_long(node, lines):
                bad.append(
                    f"{_where(mod, node.lineno, pkg_dir)}: {node.name}() has {n} lines "
                    f"> {max_function} and no 'long: <reason>' at its top"
                )
    return bad


def _says_long(node: ast.FunctionDef, lines: list[str]) -> bool:
    doc = ast.get_docstring(node) or ""
    if LONG_MARKER.search(doc):
        return True
    # the first comment line of the body: between the signature and the first statement
    # (or the first line after the docstring)
    body = node.body
    first = body[1] if (ast.get_docstring(node) is not None and len(body) > 1) else body[0]
    start = (body[0].end_lineno if first is not body[0] else node.lineno) or node.lineno
    for line in lines[start : first.lineno]:
        stripped = line.strip()
        if stripped.startswith("#"):
            return bool(LONG_MARKER.search(stripped))
    return False


def notebook_kernels(nb_dir: Path, *, kernel: str = "framelens") -> list[str]:
    """Rule g: every notebook's metadata.kernelspec.name is ``kernel``."""
    bad = []
    for path in sorted(Path(nb_dir).glob("*.ipynb")):
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
        name = meta.get("kernelspec", {}).get("name")
        if name != kernel:
            bad.append(f"{path.name}: kernelspec name is {name!r}, not {kernel!r}")
    return bad


# a backticked token or a markdown link target
_BACKTICK = re.compile(r"(?<!`)`([^`\s]+)`(?!`)")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```|~~~)")
_FILE_SUFFIXES = {
    ".py",
    ".md",
    ".yaml",
    ".yml",
    ".ipynb",
    ".toml",
    ".json",
    ".csv",
    ".txt",
    ".cfg",
    ".tpl",
    ".j2",
}
# generated at run time and gitignored, not committed
_GENERATED = ("reports/", ".framelens-cache", ".venv", "benchmarks/out/")


def doc_paths(repo: Path, *, docs: list[Path] | None = None) -> list[tuple[Path, int, str]]:
    """(markdown file, line, path) for every repository path a doc names."""
    repo = Path(repo)
    if docs is None:
        docs = [repo / "README.md", *sorted((repo / "docs").glob("*.md"))]
    top = {p.name for p in repo.iterdir()}
    out = []
    for md in docs:
        if not md.exists():
            continue
        fenced = False  # a code block is a sketch or a command, not a reference
        for lineno, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            if _FENCE.match(line.strip()):
                fenced = not fenced
                continue
            if fenced:
                continue
            found = []
            for m in _LINK.finditer(line):
                target = m.group(1).split("#")[0]
                if target and not re.match(r"^[a-z]+:", target):
                    found.append((m.start(), target))
            for m in _BACKTICK.finditer(line):
                token = m.group(1).rstrip(".,;:")
                if _looks_like_path(token, top):
                    found.append((m.start(), token))
            out += [(md, lineno, target) for _, target in sorted(found)]
    return out


def _looks_like_path(token: str, top: set[str]) -> bool:
    if re.match(r"^[a-z]+:", token) or token.startswith(("/", "~", "$", "-")):
        return False
    if any(c in token for c in "<>{}()=,'\"|"):
        return False
    first = token.split("/")[0]
    if first in ("..", "."):
        return True
    if "/" in token:
        return first in top or Path(token).suffix in _FILE_SUFFIXES
    return token in top and Path(token).suffix in _FILE_SUFFIXES


def dangling_doc_references(repo: Path, *, docs: list[Path] | None = None) -> list[str]:
    """Rule h: every path README.md and docs/*.md name exists in the repository."""
    repo = Path(repo).resolve()
    bad = []
    for md, lineno, target in doc_paths(repo, docs=docs):
        if target.startswith(_GENERATED):
            continue
        candidates = [(md.parent / target), (repo / target)]
        found = False
        for c in candidates:
            c = Path(str(c).rstrip("/"))
            inside = c.resolve().is_relative_to(repo)
            if not inside:
                continue
            if any(ch in target for ch in "*?["):
                found = found or bool(list(repo.glob(str(c.resolve().relative_to(repo)))))
            else:
                found = found or c.exists()
        if not found:
            bad.append(f"{md.relative_to(repo)}:{lineno}: {target} is not in the repository")
    return bad


# --------------------------------------------------------------------------- the repository


def _report(offences: list[str]) -> str:
    return "\n".join(offences)


def test_core_imports_nothing_else_from_framelens():
    assert core_imports_upward(PACKAGE) == [], _report(core_imports_upward(PACKAGE))


def test_rooms_import_only_the_rooms_below_them():
    bad = room_imports(PACKAGE)
    assert bad == [], _report(bad)


def test_room_layering_has_no_cycle():
    order: list[str] = []

    def visit(room, path=()):
        assert room not in path, f"cycle: {' -> '.join((*path, room))}"
        for dep in ROOM_IMPORTS[room]:
            visit(dep, (*path, room))
        if room not in order:
            order.append(room)

    for room in ROOM_IMPORTS:
        visit(room)
    assert order[:2] == ["errors", "core"]


def test_measures_do_not_import_report_runner_or_cli():
    bad = measures_import_outer_rooms(PACKAGE)
    assert bad == [], _report(bad)


def test_report_does_not_recompute_measures():
    bad = report_recomputes_measures(PACKAGE)
    assert bad == [], _report(bad)


def test_no_module_imports_a_private_name():
    bad = private_imports(PACKAGE)
    assert bad == [], _report(bad)


def test_no_submodule_is_shadowed_by_a_package_export():
    bad = shadowed_submodules(PACKAGE)
    assert bad == [], _report(bad)


def test_module_and_function_sizes():
    bad = oversize(PACKAGE)
    assert bad == [], _report(bad)


def test_every_notebook_uses_the_framelens_kernel():
    assert sorted(NOTEBOOKS.glob("*.ipynb")), "no notebooks found"
    bad = notebook_kernels(NOTEBOOKS)
    assert bad == [], _report(bad)


def test_docs_name_only_files_that_exist():
    bad = dangling_doc_references(ROOT)
    assert bad == [], _report(bad)


# --------------------------------------------------------------------------- the checkers


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def pkg(tmp_path):
    """A tiny package `fl` that keeps every rule; tests add one offence each."""
    root = _tree(
        tmp_path,
        {
            "fl/__init__.py": "",
            "fl/errors.py": "class FramelensError(ValueError):\n    pass\n",
            "fl/core/schema.py": "import re\nVOICES = ('author',)\nP = re._parser\n",
            "fl/core/spans.py": (
                "from fl.errors import FramelensError\nfrom .schema import VOICES\n"
                "from . import schema\n"
            ),
            "fl/text/__init__.py": "from .quotations import quotes\nfrom . import quotations\n",
            "fl/text/quotations.py": "def quotes():\n    return 1\n\ndef _helper():\n    pass\n",
            "fl/measures/__init__.py": "from . import framing\n",
            "fl/measures/framing.py": (
                "from fl.core import schema\nfrom fl.text import quotes\n\n"
                "def step(tables):\n    return {}\n"
            ),
            "fl/report/framing.py": "from fl.measures import framing\nX = framing.__name__\n",
        },
    )
    return root / "fl"


def _add(pkg: Path, rel: str, text: str) -> Path:
    _tree(pkg, {rel: text})
    return pkg


def test_clean_synthetic_tree_passes(pkg):
    for check in (
        core_imports_upward,
        measures_import_outer_rooms,
        report_recomputes_measures,
        private_imports,
        shadowed_submodules,
        oversize,
    ):
        assert check(pkg) == [], check.__name__
    allowed = {"errors": (), "core": ("errors",), "text": ("core",), "measures": ("core", "text")}
    allowed["report"] = ("measures",)
    assert room_imports(pkg, allowed=allowed) == []


@pytest.mark.parametrize(
    "source",
    [
        "from fl.text import quotes\n",
        "from ..measures import framing\n",
        "import fl.report\n",
        "def f():\n    from fl import text\n",
    ],
)
def test_core_importing_upward_is_caught(pkg, source):
    _add(pkg, "core/bad.py", source)
    assert len(core_imports_upward(pkg)) == 1


def test_errors_importing_the_package_is_caught(pkg):
    _add(pkg, "errors.py", "from fl.core import schema\n")
    assert core_imports_upward(pkg) == ["errors.py:1: fl.errors imports fl.core.schema"]


def test_room_importing_upward_is_caught(pkg):
    allowed = {"errors": (), "core": ("errors",), "text": ("core",), "measures": ("core", "text")}
    allowed["report"] = ("measures",)
    assert room_imports(pkg, allowed=allowed) == []
    _add(pkg, "text/quotations.py", "from fl.measures import framing\n")
    assert room_imports(pkg, allowed=allowed) == [
        "text/quotations.py:1: text imports fl.measures.framing (text may import: core)"
    ]
    _add(pkg, "cli.py", "from fl import text\n")
    assert "cli.py:1: room 'cli' is not listed" in room_imports(pkg, allowed=allowed)


@pytest.mark.parametrize(
    "source",
    ["from fl.report import framing\n", "import fl.runner.core\n", "from ... import cli\n"],
)
def test_measure_importing_report_runner_cli_is_caught(pkg, source):
    _add(pkg, "measures/neutrality/x.py", source)
    assert len(measures_import_outer_rooms(pkg)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "from fl.measures.framing import step\n",
        "from ..measures.framing import step as s\n",
        "from fl.measures import framing\nframing.step({})\n",
    ],
)
def test_report_recomputing_a_measure_is_caught(pkg, source):
    _add(pkg, "report/neutrality.py", source)
    assert len(report_recomputes_measures(pkg)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "from fl.text.quotations import _helper\n",
        "from ..text.quotations import _helper\n",
        "from fl.text import quotations\nquotations._helper()\n",
        "import fl.text.quotations as q\nq._helper()\n",
        "import fl.text.quotations\nfl.text.quotations._helper()\n",
    ],
)
def test_private_import_is_caught(pkg, source):
    _add(pkg, "measures/neutrality.py", source)
    assert len(private_imports(pkg)) == 1


def test_own_and_foreign_privates_are_allowed(pkg):
    _add(
        pkg,
        "measures/neutrality.py",
        "import re\nimport pandas as pd\n\ndef _mine():\n    pass\n\n"
        "X = re._parser, pd.api, _mine(), __name__\n",
    )
    assert private_imports(pkg) == []


def test_shadowed_submodule_is_caught(pkg):
    _add(pkg, "text/__init__.py", "from .quotes import quotes\n")
    _add(pkg, "text/quotes.py", "def quotes():\n    return 1\n")
    bad = shadowed_submodules(pkg)
    assert len(bad) == 1 and "fl.text.quotes" in bad[0]


def test_package_defining_a_function_named_like_a_submodule_is_caught(pkg):
    _add(pkg, "text/__init__.py", "def quotations():\n    pass\n")
    assert len(shadowed_submodules(pkg)) == 1


def _function(n_lines: int, top: str = "") -> str:
    body = "".join(f"    x{i} = {i}\n" for i in range(n_lines - 2 - top.count("\n")))
    return f"def f():\n{top}{body}    return 0\n"


def test_long_module_is_caught(pkg):
    _add(pkg, "text/big.py", "x = 1\n" * (MAX_MODULE_LINES + 1))
    assert oversize(pkg) == [f"text/big.py:1: module has {MAX_MODULE_LINES + 1} lines > 600"]
    _add(pkg, "text/big.py", "x = 1\n" * MAX_MODULE_LINES)
    assert oversize(pkg) == []


def test_long_function_is_caught_unless_it_gives_a_reason(pkg):
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES))
    assert oversize(pkg) == []
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1))
    assert len(oversize(pkg)) == 1
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1, '    """Do it.\n\n    long: x\n"""\n'))
    assert oversize(pkg) == []
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1, "    # long: one pass\n"))
    assert oversize(pkg) == []
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1, '    """Do it."""\n    # long: y\n'))
    assert oversize(pkg) == []
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1, "    # too long: no\n"))
    assert len(oversize(pkg)) == 1
    _add(pkg, "text/f.py", _function(MAX_FUNCTION_LINES + 1, '    """Not long: no."""\n'))
    assert len(oversize(pkg)) == 1


def test_notebook_kernel_is_checked(tmp_path):
    def nb(name, kernel):
        meta = {"kernelspec": {"name": kernel, "display_name": kernel}}
        doc = {"cells": [], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}
        (tmp_path / name).write_text(json.dumps(doc), encoding="utf-8")

    nb("a.ipynb", "framelens")
    assert notebook_kernels(tmp_path) == []
    nb("b.ipynb", "python3")
    assert notebook_kernels(tmp_path) == ["b.ipynb: kernelspec name is 'python3', not 'framelens'"]


def test_dangling_doc_reference_is_caught(tmp_path):
    repo = _tree(
        tmp_path,
        {
            "lib/framelens/core/schema.py": "",
            "docs/methods/framing.md": "",
            "notebooks/a.ipynb": "{}",
            "workbook.yaml": "",
            "README.md": (
                "See [methods](docs/methods/framing.md), `lib/framelens/core/schema.py`,\n"
                "`workbook.yaml`, `notebooks/*.ipynb`, `reports/index.html` (generated),\n"
                "`my_corpus.csv`, `framelens.core.schema`, [web](https://example.org).\n"
                "```\nlib/framelens/gone.py  (inside a code block: a sketch, not checked)\n```\n"
            ),
            "docs/architecture.md": "[framing](methods/framing.md) and `docs/methods/`\n",
        },
    )
    assert dangling_doc_references(repo) == []
    (repo / "docs" / "usage.md").write_text(
        "`lib/framelens/pipeline.py`, [x](methods/gone.md), `../shared/DESIGN.md`,\n"
        "`notebooks/*.py`\n",
        encoding="utf-8",
    )
    assert dangling_doc_references(repo) == [
        "docs/usage.md:1: lib/framelens/pipeline.py is not in the repository",
        "docs/usage.md:1: methods/gone.md is not in the repository",
        "docs/usage.md:1: ../shared/DESIGN.md is not in the repository",
        "docs/usage.md:2: notebooks/*.py is not in the repository",
    ]
