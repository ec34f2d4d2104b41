"""The import rules of docs/architecture.md, checked on the import graph of every module of
ir/, compiler/ and runtime/ (imports made only for type checking, or inside functions,
count as much as any other)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ir", "compiler", "runtime")
RUNTIME_MAY_IMPORT = {"compiler.build", "compiler.modelfile", "compiler.verify"}


def module_name(path: Path) -> str:
    """`compiler/export/model.py` -> `compiler.export.model`; a package is its folder."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imported(name: str, path: Path) -> list[tuple[str, ast.ImportFrom | ast.Import]]:
    """(module of this tree or external top-level name, the import statement) for each import."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name.removeprefix("loopmlp."), node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                target = (node.module or "").removeprefix("loopmlp.")
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.append((submodule if submodule in modules() else target, node))
    return found


@cache
def graph() -> nx.DiGraph:
    """Module -> the modules of this tree it imports."""
    g = nx.DiGraph()
    for name, path in modules().items():
        g.add_node(name)
        for target, _ in imported(name, path):
            if target in modules() and target != name:
                g.add_edge(name, target)
    return g


def package_of(name: str) -> str:
    return name.split(".")[0]


def test_the_graph_sees_every_kind_of_import():
    g = graph()
    assert len(modules()) > 60
    assert g.has_edge("compiler.driver", "compiler.lower")  # from .lower import lower
    assert g.has_edge("compiler.lower", "ir.gadgets")  # from ..ir import gadgets as G
    assert g.has_edge("runtime.profile", "compiler.build")  # under `if TYPE_CHECKING`


def test_ir_imports_neither_the_compiler_nor_the_runtime_nor_onnx():
    for name, path in modules().items():
        if package_of(name) == "ir":
            targets = {package_of(t) for t, _ in imported(name, path)}
            assert not targets & {"compiler", "runtime", "onnx", "onnxruntime"}, (name, targets)


def test_the_compiler_does_not_import_the_runtime():
    wrong = [
        (a, b)
        for a, b in graph().edges
        if package_of(a) == "compiler" and package_of(b) == "runtime"
    ]
    assert not wrong


def test_the_runtime_imports_only_the_compilers_entry_points_model_file_and_verification():
    wrong = [
        (a, b)
        for a, b in graph().edges
        if package_of(a) == "runtime"
        and package_of(b) == "compiler"
        and b not in RUNTIME_MAY_IMPORT
    ]
    assert not wrong


def test_the_c_front_end_stands_apart_from_the_network_compiler():
    g = graph()
    front = {n for n in g if n.startswith("compiler.cc")}
    out_of_cc = {b for a in front for b in g.successors(a) if b not in front}
    allowed = {"compiler.assembler", "compiler.sources"}
    assert {b for b in out_of_cc if package_of(b) == "compiler"} <= allowed
    into_cc = {a for b in front for a in g.predecessors(b) if a not in front}
    assert into_cc <= {"compiler.program", "compiler.build"}, into_cc


def test_no_module_imports_another_modules_private_names():
    wrong = []
    for name, path in modules().items():
        for target, node in imported(name, path):
            if isinstance(node, ast.ImportFrom) and target in modules() and target != name:
                wrong += [(name, a.name) for a in node.names if a.name.startswith("_")]
    assert not wrong


def test_no_import_cycle_anywhere():
    assert list(nx.simple_cycles(graph())) == []
