"""The tree reads as the flow: corpus → retrieval → bot.answering → service → faces.

Every import in the packages (at the top, inside functions, or only for type checking) is read from
the source, so a lazy import that points back up or closes a circle is caught as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("config", "prompts", "corpus", "retrieval", "bot")

# Lower layers never import higher ones. A module's layer is that of its longest matching prefix.
LAYERS = {
    "config": 0,
    "prompts": 1,
    "corpus": 1,
    "retrieval": 2,
    "bot.answering": 3,  # the answering chain: retrieved paragraphs in, a cited Answer out
    "bot.conversation": 4,
    "bot.intent": 4,
    "bot.quotes": 4,
    "bot.foreground": 4,  # questions and ingests under way, counted for the background warming
    "bot.service": 5,  # the one object every face talks to
    "bot.evaluation": 6,
    "bot.terminal": 6,
    "bot.progress": 6,
    "bot.repl": 6,
    "bot.background_warming": 6,  # the faces' helper: it drives the service from its own thread
    "bot.discord_bot": 6,
    "bot.cli": 7,
    "bot.__main__": 8,
    "bot": 8,  # bot/__init__.py
}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports, wherever in the file the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def layer(name: str) -> int:
    prefix = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len)
    return LAYERS[prefix]


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def test_every_module_has_a_layer() -> None:
    assert all(layer(name) >= 0 for name in graph())


def test_no_module_imports_a_higher_layer() -> None:
    upward = sorted(
        f"{name} (layer {layer(name)}) imports {target} (layer {layer(target)})"
        for name, targets in graph().items()
        for target in targets
        if layer(target) > layer(name)
    )
    assert upward == []


def test_no_module_imports_in_a_circle() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_checks_see_lazy_imports() -> None:
    """The face reaches the service only inside functions; the graph must still hold that edge."""
    assert "bot.service" in graph()["bot.cli"]
