"""No private name crosses a module: read from the package's own source, with `ast`.

A name starting with ``_`` is its module's business. Two ways it could leak, both checked:

* an import of an underscore name from another module of the package (a private module itself
  may be imported: its public names are the package's internal API);
* a subclass using (``self._x``) or overriding an underscore attribute or method that a base
  class defined in another module owns: the base offers public hooks instead (as the core's
  `Poller` does for the paged poller), or the subclass owns a helper object instead of
  inheriting its state (as the clients own a `_base.ClientCore`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import firecrawl_status

PACKAGE = Path(firecrawl_status.__file__).parent


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _modules() -> dict[str, ast.Module]:
    """Every module of the package by dotted name below it (``_cli._main``), generated aside."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] == "_generated":
            continue
        name = ".".join(parts)
        found[name] = ast.parse(path.read_text(), filename=str(path))
    return found


def _imported_module(module: str, node: ast.ImportFrom) -> str | None:
    """The package module ``node`` imports from (dotted, below the package), None if outside."""
    if node.level == 0:
        target = node.module or ""
        if target != "firecrawl_status" and not target.startswith("firecrawl_status."):
            return None
        return target.removeprefix("firecrawl_status").lstrip(".")
    package = module.split(".")[:-1]  # a module's package; ``__init__``'s is its own
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str, tree: ast.Module) -> Iterator[tuple[str, str]]:
    """(imported-from module, name) for each name ``module`` imports from the package."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _imported_module(module, node)
            if source is not None:
                for alias in node.names:
                    yield source, alias.name


def _self_privates(cls: ast.ClassDef) -> set[str]:
    """Underscore names a class owns or touches: ``self._x`` anywhere, ``def _x``, ``_x = ...``."""
    names = set()
    for node in ast.walk(cls):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
            and _private(node.attr)
        ):
            names.add(node.attr)
    for statement in cls.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            if _private(statement.name):
                names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name) and _private(t.id)}
    return names


def _classes(tree: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _ancestors(
    modules: dict[str, ast.Module], module: str, cls: ast.ClassDef
) -> Iterator[tuple[str, ast.ClassDef]]:
    """(module, class) for each base of ``cls`` defined in the package, and theirs in turn."""
    origin = {name: source for source, name in _imports(module, modules[module])}
    for base in cls.bases:
        if not isinstance(base, ast.Name):
            continue
        source = module if base.id in _classes(modules[module]) else origin.get(base.id)
        parent = None if source not in modules else _classes(modules[source]).get(base.id)
        if source is not None and parent is not None:
            yield source, parent
            yield from _ancestors(modules, source, parent)


def crossings(modules: dict[str, ast.Module]) -> dict[tuple[str, str], set[str]]:
    """Per (module, class): the underscore names it shares with a base of another module."""
    found = {}
    for module, tree in modules.items():
        for cls in _classes(tree).values():
            foreign = set().union(
                *(
                    _self_privates(parent)
                    for source, parent in _ancestors(modules, module, cls)
                    if source != module
                )
            )
            shared = _self_privates(cls) & foreign
            if shared:
                found[(module, cls.name)] = shared
    return found


def test_no_private_name_is_imported_from_another_module() -> None:
    """``from ._x import _y`` never appears; ``from . import _module`` is a module, allowed."""
    modules = _modules()
    leaks = [
        (module, source, name)
        for module, tree in modules.items()
        for source, name in _imports(module, tree)
        if _private(name) and ".".join(filter(None, (source, name))) not in modules
    ]
    assert leaks == []


def test_no_subclass_uses_a_private_name_of_a_base_in_another_module() -> None:
    """None anywhere: the paged poller uses the core's hook API only, and the clients keep their
    `ClientCore` in an attribute of their own, their base holding public configuration only."""
    assert crossings(_modules()) == {}


def test_the_check_sees_a_crossing() -> None:
    """The check itself: a subclass touching its base's ``self._queue`` is reported, whether
    it reads it or overrides a private method, and a subclass in the base's module is not."""
    core = ast.parse(
        "class Poller:\n"
        "    def __init__(self):\n"
        "        self._queue = []\n"
        "    def _take(self):\n"
        "        pass\n"
        "class Local(Poller):\n"
        "    def go(self):\n"
        "        self._queue.append(1)\n"
    )
    paged = ast.parse(
        "from ._core import Poller\n"
        "class Paged(Poller):\n"
        "    def go(self):\n"
        "        self._queue.append(1)\n"
        "        self._mine = 2\n"
        "    def _take(self):\n"
        "        pass\n"
        "class Deeper(Paged):\n"
        "    def more(self):\n"
        "        self._queue.clear()\n"
    )
    found = crossings({"_core": core, "_paged": paged})
    assert found == {("_paged", "Paged"): {"_queue", "_take"}, ("_paged", "Deeper"): {"_queue"}}


def test_the_check_follows_each_client_to_its_base() -> None:
    """The clients' empty finding is not for want of seeing their base class."""
    modules = _modules()
    for module, name in (("_sync", "StatusClient"), ("_async", "AsyncStatusClient")):
        cls = _classes(modules[module])[name]
        bases = [(source, parent.name) for source, parent in _ancestors(modules, module, cls)]
        assert bases == [("_base", "BaseClient")]
