"""``scripts/contract-review``: what a reviewer of an ``openapi.yaml`` change needs, in one report.

Compares the spec at a base (default: the merge base of HEAD with ``main``) with the new one
(default: the working tree's ``openapi.yaml``) and prints four sections, in this order:

1. Lint: Redocly CLI findings on the new spec, with our ruleset (``redocly/redocly.yaml``).
2. Breaking changes: the structural diff of ``spec_diff``, each change breaking or non-breaking.
3. Regeneration: the files under ``generated/`` that the new spec changes, and the public names of
   the generated package that appear, disappear or change signature.
4. Cassettes: whether every cassette validates against the new spec (``cassettes.contract``);
   cassettes that validated against the base and no longer do are named first.

Exit status: 0 when the change is safe; 1 when there is a breaking change or a cassette violation
(unless ``--allow-breaking``), or when the new spec is not valid OpenAPI or does not generate; 2
when the review itself could not run (bad ref, missing tool). Lint findings are reported, not
gating: ``scripts/test`` keeps the committed spec lint-clean.

``--html DIR`` only renders the new spec into ``DIR/index.html`` (Redoc, one offline file).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from scripts import ROOT
from scripts.cassettes import CASSETTES, contract
from scripts.codegen import regenerate
from scripts.contract_review import generated_surface, spec_diff
from scripts.contract_review import tools as contract_tools

SPEC_NAME = "openapi.yaml"
MAIN_BRANCHES = ("main", "origin/main")
#: Report lines listed per group before the rest is summarised as "... and N more".
MAX_LISTED = 60
#: Cassette violations listed per cassette (the rest are counted).
PER_CASSETTE = 3


class ReviewError(Exception):
    """The review could not run (exit status 2)."""


@dataclass
class Side:
    """One side of the comparison: a label for the report, the spec file, the cassettes."""

    label: str
    spec: Path
    cassettes: list[Path] = field(default_factory=list)


@dataclass
class Outcome:
    """What gates the exit status."""

    breaking: int = 0
    violations: int = 0
    #: Why the new spec is unusable (does not generate, is not valid OpenAPI): always a failure.
    fatal: list[str] = field(default_factory=list)


def git(*args: str) -> str:
    """Run git in the repository; its stdout, or :class:`ReviewError` with its stderr."""
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise ReviewError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def resolve_ref(ref: str) -> str:
    """The commit a ref names, or :class:`ReviewError`."""
    try:
        return git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except ReviewError:
        raise ReviewError(f"{ref!r} is not a commit in this repository") from None


def default_base() -> tuple[str, str]:
    """The merge base of HEAD with main (or origin/main), and a label for it."""
    for branch in MAIN_BRANCHES:
        try:
            resolve_ref(branch)
        except ReviewError:
            continue
        commit = git("merge-base", "HEAD", branch).strip()
        return commit, f"merge base with {branch} ({commit[:10]})"
    raise ReviewError("no main or origin/main branch to take the merge base with; name BASE_REF")


def side_at_ref(ref: str, into: Path, with_cassettes: bool, label: str = "") -> Side:
    """Write ``openapi.yaml`` (and, if asked, the cassettes) as at ``ref`` into ``into``."""
    commit = resolve_ref(ref)
    into.mkdir(parents=True)
    spec = into / SPEC_NAME
    try:
        spec.write_text(git("show", f"{commit}:{SPEC_NAME}"), encoding="utf-8")
    except ReviewError as exc:
        raise ReviewError(f"{SPEC_NAME} does not exist at {ref}") from exc
    cassettes = []
    if with_cassettes:
        for name in git(
            "ls-tree", "-r", "--name-only", commit, "--", CASSETTES.relative_to(ROOT).as_posix()
        ).splitlines():
            if name.endswith((".yaml", ".yml")):
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(git("show", f"{commit}:{name}"), encoding="utf-8")
                cassettes.append(target)
    return Side(label or f"{ref} ({commit[:10]})", spec, sorted(cassettes))


def _listed(lines: Sequence[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return list(lines)
    return [*lines[:MAX_LISTED], f"... and {len(lines) - MAX_LISTED} more"]


def lint_section(new: Side) -> list[str]:
    """Section 1: Redocly CLI findings on the new spec."""
    version = contract_tools.redocly_version()
    ruleset = contract_tools.RULESET.relative_to(ROOT)
    findings = contract_tools.lint(new.spec)
    head = f"## 1. Lint (Redocly CLI {version}, {ruleset})"
    if not findings:
        return [head, "No findings."]
    errors = sum(1 for f in findings if f.severity == "error")
    summary = f"{errors} error(s), {len(findings) - errors} warning(s):"
    return [head, summary, *_listed([f"- {f.line_text(SPEC_NAME)}" for f in findings])]


def diff_section(base: Side, new: Side, outcome: Outcome) -> list[str]:
    """Section 2: the classified changes between the two specs."""
    old_doc = yaml.safe_load(base.spec.read_text(encoding="utf-8"))
    new_doc = yaml.safe_load(new.spec.read_text(encoding="utf-8"))
    changes = spec_diff.diff_specs(old_doc, new_doc)
    outcome.breaking = sum(1 for c in changes if c.breaking)
    lines = ["## 2. Breaking changes for clients"]
    if outcome.breaking:
        lines.append(f"{outcome.breaking} breaking change(s):")
    else:
        lines.append("No breaking changes.")
    if not changes:
        lines.append("The two specs are identical.")
    lines.extend(_listed([f"- {c.line()}" for c in changes]))
    return lines


def _generate(spec: Path) -> dict[str, bytes] | str:
    try:
        return generated_surface.generate_tree(spec)
    except SystemExit as exc:
        return str(exc.code)


def _change(old: str, new: str) -> str:
    """``old -> new``, or only the return types when a function's arguments stayed the same."""
    old_args, arrow, old_returns = old.partition(") -> ")
    new_args, _, new_returns = new.partition(") -> ")
    if arrow and old_args == new_args:
        return f"returns {old_returns} -> {new_returns}"
    return f"{old} -> {new}"


def regeneration_section(base: Side, new: Side, outcome: Outcome) -> list[str]:
    """Section 3: what regenerating generated/ from the new spec changes."""
    lines = ["## 3. Regeneration (generated/, with the working tree's scripts/codegen)"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        old_future, new_future = pool.submit(_generate, base.spec), pool.submit(_generate, new.spec)
        old_tree, new_tree = old_future.result(), new_future.result()
    if isinstance(new_tree, str):
        outcome.fatal.append("generated/ cannot be regenerated from the new spec")
        return [*lines, f"generated/ cannot be regenerated from the new spec: {new_tree}"]
    if isinstance(old_tree, str):
        return [*lines, f"The base spec does not generate ({old_tree}); nothing to compare with."]
    surface = generated_surface.compare(old_tree, new_tree)
    if not surface.files:
        return [*lines, "No generated file changes."]
    lines.append(f"Files that change ({len(surface.files)}):")
    lines.extend(_listed([f"  {mark} {path}" for mark, path in surface.files]))
    groups = (
        ("disappear", [f"  - {name}: {sig}" for name, sig in surface.disappeared]),
        ("appear", [f"  + {name}: {sig}" for name, sig in surface.appeared]),
        ("change signature", [f"  ~ {n}: {_change(old, new)}" for n, old, new in surface.changed]),
    )
    for verb, group in groups:
        if group:
            lines.append(f"Public names that {verb} ({len(group)}):")
            lines.extend(_listed(group))
    if not any(group for _, group in groups):
        lines.append("No public names appear, disappear or change signature.")
    return lines


def cassette_section(base: Side, new: Side, outcome: Outcome) -> list[str]:
    """Section 4: every cassette checked against the new spec (and the base, for contrast)."""
    lines = ["## 4. Cassettes against the new spec"]
    if not new.cassettes:
        return [*lines, f"No cassettes under {CASSETTES.relative_to(ROOT)}/."]
    try:
        violations = contract.validate_cassettes(new.spec, new.cassettes)
    except OpenAPIValidationError as exc:
        outcome.fatal.append("the new spec is not a valid OpenAPI document")
        return [
            *lines,
            f"Cannot check: the new spec is not a valid OpenAPI document: {exc.message}",
        ]
    outcome.violations = len(violations)
    if not violations:
        return [*lines, f"All {len(new.cassettes)} cassette(s) validate."]
    failing_now = sorted({v.cassette for v in violations})
    # Only the failing ones need a second look, to tell which stopped validating.
    failing_paths = [path for path in new.cassettes if path.name in failing_now]
    try:
        failing_before = {v.cassette for v in contract.validate_cassettes(base.spec, failing_paths)}
    except OpenAPIValidationError:
        failing_before = set()
    stopped = [name for name in failing_now if name not in failing_before]
    lines.append(
        f"{len(failing_now)} of {len(new.cassettes)} cassette(s) do not validate "
        f"({len(violations)} violation(s))."
    )
    if stopped:
        lines.append(f"Stop validating with this change: {', '.join(stopped)}")
    already = [name for name in failing_now if name in failing_before]
    if already:
        lines.append(f"Already failing against the base spec: {', '.join(already)}")
    shown: dict[str, int] = {}
    listed = []
    for violation in violations:
        shown[violation.cassette] = shown.get(violation.cassette, 0) + 1
        if shown[violation.cassette] <= PER_CASSETTE:
            listed.append(f"- {violation.line()}")
    lines.extend(_listed(listed))
    hidden = sum(max(0, n - PER_CASSETTE) for n in shown.values())
    if hidden:
        lines.append(
            f"({hidden} more violation(s) not listed: at most {PER_CASSETTE} per cassette)"
        )
    return lines


def result_section(outcome: Outcome, allow_breaking: bool) -> tuple[list[str], int]:
    """The verdict and the exit status."""
    problems = []
    if outcome.breaking:
        problems.append(f"{outcome.breaking} breaking change(s)")
    if outcome.violations:
        problems.append(f"{outcome.violations} cassette violation(s)")
    if outcome.fatal:
        return ["## Result", f"FAIL: {'; '.join(outcome.fatal)}."], 1
    if not problems:
        return ["## Result", "OK: no breaking changes, no cassette violations."], 0
    if allow_breaking:
        return ["## Result", f"ACCEPTED with --allow-breaking: {', '.join(problems)}."], 0
    hint = "pass --allow-breaking to accept them"
    return ["## Result", f"FAIL: {', '.join(problems)} ({hint})."], 1


def review(base: Side, new: Side, allow_breaking: bool) -> tuple[str, int]:
    """The whole report and the exit status."""
    outcome = Outcome()
    lines = [f"# Contract review: {SPEC_NAME} {base.label} -> {new.label}", ""]
    for section in (
        lint_section(new),
        diff_section(base, new, outcome),
        regeneration_section(base, new, outcome),
        cassette_section(base, new, outcome),
    ):
        lines.extend([*section, ""])
    verdict, status = result_section(outcome, allow_breaking)
    return "\n".join([*lines, *verdict]) + "\n", status


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/contract-review",
        description="Review a change to openapi.yaml: lint, breaking changes, regeneration, "
        "cassettes. See docs/contract-review.md.",
    )
    parser.add_argument(
        "base_ref", nargs="?", help="compare with openapi.yaml at this ref (default: merge base)"
    )
    parser.add_argument("--head", metavar="REF", help="review openapi.yaml at REF, not the tree")
    parser.add_argument("--base-spec", type=Path, metavar="FILE", help="base spec from a file")
    parser.add_argument("--new-spec", type=Path, metavar="FILE", help="new spec from a file")
    parser.add_argument(
        "--cassettes",
        type=Path,
        metavar="DIR",
        help="cassettes to check (default: tests/cassettes)",
    )
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="exit 0 despite breaking changes and cassette violations",
    )
    parser.add_argument(
        "--html", type=Path, metavar="DIR", help="only render the new spec into DIR/index.html"
    )
    args = parser.parse_args(argv)
    if args.base_ref and args.base_spec:
        parser.error("give BASE_REF or --base-spec, not both")
    if args.head and args.new_spec:
        parser.error("give --head or --new-spec, not both")
    return args


def run(args: argparse.Namespace, tmp: Path) -> int:
    """Build both sides in ``tmp``, then render (``--html``) or review; the exit status."""
    if args.new_spec:
        new = Side(str(args.new_spec), args.new_spec.resolve())
    elif args.head:
        new = side_at_ref(args.head, tmp / "new", with_cassettes=args.cassettes is None)
    else:
        new = Side("working tree", ROOT / SPEC_NAME)
    if args.cassettes is not None:
        new.cassettes = contract.default_cassettes(args.cassettes.resolve())
    elif not args.head:
        new.cassettes = contract.default_cassettes(CASSETTES)
    if args.html:
        page = contract_tools.build_docs(new.spec, args.html)
        print(f"Rendered {new.label} {SPEC_NAME} into {page}", file=sys.stderr)
        return 0
    if args.base_spec:
        base = Side(str(args.base_spec), args.base_spec.resolve())
    else:
        ref, label = (args.base_ref, "") if args.base_ref else default_base()
        base = side_at_ref(ref, tmp / "base", with_cassettes=False, label=label)
    report, status = review(base, new, args.allow_breaking)
    sys.stdout.write(report)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``scripts/contract-review``."""
    args = parse_args(argv)
    regenerate.check_tools()
    try:
        with tempfile.TemporaryDirectory(prefix="contract-review-") as tmp:
            return run(args, Path(tmp))
    except (ReviewError, contract_tools.ToolError, OSError, yaml.YAMLError) as exc:
        print(f"contract-review: {exc}", file=sys.stderr)
        return 2
