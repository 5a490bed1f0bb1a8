"""What regenerating ``generated/`` from a changed spec changes: files, and public names.

:func:`generate_tree` runs the pinned generator (through ``regenerate.generate``, so with the
same config, templates and post-hooks as ``scripts/regenerate``) on any spec file and returns the
package as ``{relative path: bytes}``. :func:`public_names` reads such a tree with :mod:`ast`
(nothing is imported) and lists its public surface, each name with a short signature:

* ``generated.models.CrawlStatusResponse``: a name a package re-exports in ``__all__``;
* ``generated.models.crawl_status_response.CrawlStatusResponse``: a public class or function;
* ``...CrawlStatusResponse.current``: a field (``int | Unset``), an enum member
  (``'completed'``) or a public method, with its annotation, value or argument list.

:func:`compare` sets two trees side by side for the contract review.
"""

from __future__ import annotations

import ast
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts.codegen import regenerate

__all__ = ["SurfaceDiff", "compare", "generate_tree", "public_names"]


@dataclass(frozen=True)
class SurfaceDiff:
    """How the generated package differs between two specs.

    Attributes:
        files: ``(mark, path)`` per differing file, mark ``A``dded, ``D``eleted or ``M``odified.
        appeared: Public names only the new package has, with their signatures.
        disappeared: Public names only the old package has, with their signatures.
        changed: ``(name, old signature, new signature)`` for names whose signature changed.
    """

    files: list[tuple[str, str]]
    appeared: list[tuple[str, str]]
    disappeared: list[tuple[str, str]]
    changed: list[tuple[str, str, str]]


def generate_tree(spec: Path) -> dict[str, bytes]:
    """Generate the client package from ``spec`` into a temporary folder and read it back.

    Raises:
        SystemExit: The generator failed or warned about the spec (its output is on stderr).
    """
    with tempfile.TemporaryDirectory(prefix="contract-review-") as tmp:
        return regenerate.tree(regenerate.generate(Path(tmp), spec))


def _module_name(path: str) -> str:
    parts = ["generated", *path.removesuffix(".py").split("/")]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
    return f"({ast.unparse(node.args)}){returns}"


def _members(cls: ast.ClassDef) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in cls.body:
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            found[item.target.id] = ast.unparse(item.annotation)
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = ast.unparse(item.value)
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            found[item.name] = _signature(item)
    return {name: sig for name, sig in found.items() if not name.startswith("_")}


def _exported(module: ast.Module) -> list[str]:
    for node in module.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
            and isinstance(node.value, ast.Tuple | ast.List)
        ):
            return [
                e.value
                for e in node.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
    return []


def public_names(tree: dict[str, bytes]) -> dict[str, str]:
    """Every public name of a generated package, mapped to its signature."""
    names: dict[str, str] = {}
    for path, source in sorted(tree.items()):
        if not path.endswith(".py"):
            continue
        module_name = _module_name(path)
        module = ast.parse(source.decode("utf-8"), filename=path)
        names[module_name] = "module"
        for exported in _exported(module):
            names[f"{module_name}.{exported}"] = "re-export"
        for node in module.body:
            if node_name := getattr(node, "name", ""):
                if node_name.startswith("_"):
                    continue
                if isinstance(node, ast.ClassDef):
                    names[f"{module_name}.{node_name}"] = "class"
                    for member, signature in _members(node).items():
                        names[f"{module_name}.{node_name}.{member}"] = signature
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    names[f"{module_name}.{node_name}"] = _signature(node)
            elif isinstance(node, ast.Assign) and not _is_type_var(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name) and not target.id.startswith("_"):
                        names[f"{module_name}.{target.id}"] = ast.unparse(node.value)
    return names


def _is_type_var(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("TypeVar", "ParamSpec")
    )


def compare(old: dict[str, bytes], new: dict[str, bytes]) -> SurfaceDiff:
    """Set the package generated from the old spec beside the one from the new spec."""
    files = [
        ("A" if name not in old else "D" if name not in new else "M", f"generated/{name}")
        for name in regenerate.changed(old, new)
    ]
    before, after = public_names(old), public_names(new)
    return SurfaceDiff(
        files=files,
        appeared=[(name, after[name]) for name in sorted(after.keys() - before.keys())],
        disappeared=[(name, before[name]) for name in sorted(before.keys() - after.keys())],
        changed=[
            (name, before[name], after[name])
            for name in sorted(before.keys() & after.keys())
            if before[name] != after[name]
        ],
    )
