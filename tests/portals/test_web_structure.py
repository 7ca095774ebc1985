"""How ``portals.web`` is put together: no import circle among its modules, a request context that
imports none of the others, clients that load no Flask, runtime objects in ``app.extensions``, and
per-world side tables keyed by the world object."""

from __future__ import annotations

import ast
import copy
import gc
import subprocess
import sys
from pathlib import Path

from cast import CAST

from portals.azure_management.state import OPERATIONS
from portals.azure_portal import create_app
from portals.backend import World, WorldRegistry
from portals.web.context import runtime
from portals.web.faults import FAULTS
from portals.web.journal import JournalStore, store_for
from portals.web.side_tables import WorldSideTable

WEB = Path(__file__).resolve().parents[2] / "portals" / "web"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Which of ``modules`` ``path`` imports, at module level or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}  # from package import module
    return found & modules


def _graph(folder: Path = WEB) -> dict[str, set[str]]:
    """Module -> the ``portals.web`` modules it imports, for every module in ``folder``."""
    modules = {f"portals.web.{p.stem}": p for p in sorted(folder.glob("*.py"))}
    return {name: _imports(path, set(modules)) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, as the modules along it, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return [*path[path.index(imported) :], imported]
            if imported not in state:
                found = visit(imported)
                if found:
                    return found
        state[module] = "done"
        path.pop()
        return None

    for module in graph:
        if module not in state:
            found = visit(module)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_circle_through_a_function_level_import(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from portals.web import b\n")
    (tmp_path / "b.py").write_text("def late():\n    from portals.web.a import x\n")
    (tmp_path / "c.py").write_text("import portals.web.a\n")
    graph = _graph(tmp_path)
    assert graph == {
        "portals.web.a": {"portals.web.b"},
        "portals.web.b": {"portals.web.a"},
        "portals.web.c": {"portals.web.a"},
    }
    assert _cycle(graph) == ["portals.web.a", "portals.web.b", "portals.web.a"]
    (tmp_path / "b.py").write_text("x = 1\n")
    assert _cycle(_graph(tmp_path)) is None


def test_no_import_circle_among_the_web_modules() -> None:
    graph = _graph()
    assert {"portals.web.app", "portals.web.control", "portals.web.journal"} <= set(graph)
    assert _cycle(graph) is None, f"import circle: {' -> '.join(_cycle(graph) or [])}"


def test_the_request_context_is_a_leaf() -> None:
    graph = _graph()
    assert graph["portals.web.context"] <= {"portals.web.wire", "portals.web.tokens", "portals.web.errors"}
    assert graph["portals.web.wire"] == set() and graph["portals.web.side_tables"] == set()
    for module in ("portals.web.journal", "portals.web.faults", "portals.web.har", "portals.web.control"):
        assert "portals.web.app" not in graph[module], module


def test_the_clients_load_no_flask() -> None:
    probe = (
        "import sys, harness.clients, harness.control_client\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'jinja2')))"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]", found.stdout


def test_runtime_objects_live_in_the_app_extensions() -> None:
    registry = WorldRegistry()
    app = create_app(registry, {"CONTROL_TOKEN": "t"})
    assert runtime(app).registry is registry and runtime(app).spec.key == "azure"
    assert app.extensions["portal_harness.journal"] is store_for(registry)
    assert app.extensions["portal_harness.faults"] is FAULTS
    assert not {"REGISTRY", "PORTAL_KEY", "PORTAL_TITLE", "RENDER_REFUSAL"} & set(app.config)


def test_a_side_table_keeps_one_value_per_world_object_and_drops_it_with_the_world() -> None:
    made: list[str] = []

    def factory(world: World) -> list[str]:
        made.append(world.name)
        return []

    table: WorldSideTable[list[str]] = WorldSideTable(factory)
    registry = WorldRegistry()
    world = registry.create("side", copy.deepcopy(CAST))
    table(world).append("kept")
    assert table(world) == ["kept"] and made == ["side"] and table.peek(world) == ["kept"]
    fresh = registry.reset("side")  # a new World object of the same name starts empty
    assert fresh is not world and table.peek(fresh) is None and table(fresh) == []
    assert made == ["side", "side"]
    del world
    gc.collect()
    assert len(table) == 1  # only the live world's value is left
    registry.drop("side")
    del fresh
    gc.collect()
    assert len(table) == 0


def test_the_arm_operations_journal_and_faults_are_side_tables() -> None:
    assert all(isinstance(table, WorldSideTable) for table in (OPERATIONS, FAULTS))
    assert isinstance(store_for(WorldRegistry())._table, WorldSideTable)
    assert isinstance(store_for(WorldRegistry()), JournalStore)
