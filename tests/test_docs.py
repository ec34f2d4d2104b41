"""Every document the tree cites exists: .md paths in the code, links and .md paths in the docs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"build", "dist", "node_modules", "__pycache__"}

# A path ending in .md, or any path under docs/, as code and text cite them.
CITED = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w.-]+\.md|docs/[\w./-]*\w)(?![\w/-])")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def tree_files(suffix: str) -> list[Path]:
    """The tree's files with `suffix`, outside hidden, build and virtual-environment folders."""
    return [
        p
        for p in ROOT.rglob(f"*{suffix}")
        if not any(
            part.startswith(".") or part in SKIP or part.endswith(".egg-info")
            for part in p.relative_to(ROOT).parts[:-1]
        )
    ]


def cited_paths(text: str) -> set[str]:
    return {m.group(1) for m in CITED.finditer(text)}


def test_the_scanner_finds_the_citations_it_is_meant_to():
    text = "see docs/machine.md and (construction.md), [a](b/c.md#x), docs/view.png, x.mdx"
    assert cited_paths(text) == {"docs/machine.md", "construction.md", "b/c.md", "docs/view.png"}
    assert LINK.findall("[a](b/c.md#x) [web](https://example.org)") == [
        "b/c.md#x",
        "https://example.org",
    ]


def test_code_cites_only_documents_that_exist():
    missing = [
        f"{path.relative_to(ROOT)}: {cited}"
        for path in tree_files(".py")
        if path != Path(__file__).resolve()  # its own examples above
        for cited in sorted(cited_paths(path.read_text(encoding="utf-8")))
        if not (ROOT / cited).exists()
    ]
    assert not missing, "cited paths relative to the repository root that do not exist:\n" + (
        "\n".join(missing)
    )


def test_documents_link_only_to_files_that_exist():
    missing = []
    for path in tree_files(".md"):
        text = path.read_text(encoding="utf-8")
        targets = {t for t in LINK.findall(text) if not re.match(r"[a-z]+:|#", t)}
        for target in sorted(targets | cited_paths(text)):
            relative = target.split("#")[0]
            found = (path.parent / relative).exists() or (ROOT / relative).exists()
            if "/" not in relative:  # a name every folder below has, as "each keeps its SOURCE.md"
                found = found or any(path.parent.rglob(relative))
            if not found:
                missing.append(f"{path.relative_to(ROOT)}: {target}")
    assert not missing, "documents cite paths that do not exist:\n" + "\n".join(missing)


def test_the_tree_has_the_documents_the_readme_promises():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = readme[: readme.index("\n## ")]
    for doc in ("docs/architecture.md", "docs/machine.md", "docs/construction.md"):
        assert f"({doc})" in top and (ROOT / doc).is_file()
