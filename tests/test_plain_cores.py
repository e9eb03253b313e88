"""Every plain-Python module imports without Django, directly or through anything it imports.

ruff's banned-import rule (TID251) sees only a module's own ``import django`` lines; a plain core that
imports a module that imports Django slips past it. Here each plain module is imported in a fresh
interpreter where importing ``django`` fails, so the chain shows up in the failure. Which files are
Django's is read from the one list the house keeps: ruff's per-file-ignores of TID251 in pyproject.toml.
"""

from __future__ import annotations

import fnmatch
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "boroughhub"

IMPORT_EACH_WITHOUT_DJANGO = """
import importlib, sys, traceback

class RefuseDjango:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django.") or name.startswith("django_"):
            raise ImportError(f"{name} imported by a plain-Python core")
        return None

sys.meta_path.insert(0, RefuseDjango())
failed = []
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception:
        failed.append(module + ":\\n" + traceback.format_exc(limit=-6))
print("\\n\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def django_file_patterns() -> list[str]:
    ignores = _pyproject()["tool"]["ruff"]["lint"]["per-file-ignores"]
    return [pattern for pattern, rules in ignores.items()
            if "TID251" in rules and pattern.startswith("src/boroughhub/")]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_django_file(path: Path, patterns: list[str]) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(fnmatch.fnmatch(relative, pattern) for pattern in patterns)


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def plain_modules() -> list[str]:
    patterns = django_file_patterns()
    return [module_name(p) for p in source_files() if not is_django_file(p, patterns)]


def test_the_lists_are_read_as_meant() -> None:
    modules = plain_modules()
    # The cores named in DESIGN.md, and a Django app's own front, are plain ...
    for plain in ("boroughhub.sources.validate", "boroughhub.warehouse.load", "boroughhub.linkage.link",
                  "boroughhub.insights.metrics", "boroughhub.evaluation.engine", "boroughhub.agreements.policy",
                  "boroughhub.agreements", "boroughhub.submissions.statuses"):
        assert plain in modules, plain
    # ... and the Django files are not.
    for django_file in ("boroughhub.agreements.models", "boroughhub.submissions.tasks", "boroughhub.settings",
                        "boroughhub.agreements.views.common", "boroughhub.agreements.store.lifecycle",
                        "boroughhub.web.management.demo_steps"):
        assert django_file not in modules, django_file


def test_every_plain_module_imports_without_django() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent), "BOROUGHHUB_ENV": "test"}
    done = subprocess.run([sys.executable, "-c", IMPORT_EACH_WITHOUT_DJANGO, *plain_modules()], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"These plain modules need Django:\n{done.stdout}{done.stderr}"


def mypy_matches(pattern: list[str], module: list[str]) -> bool:
    """mypy's module patterns: ``*`` stands for zero or more whole components."""
    if not pattern:
        return not module
    if pattern[0] == "*":
        return any(mypy_matches(pattern[1:], module[skip:]) for skip in range(len(module) + 1))
    return bool(module) and pattern[0] == module[0] and mypy_matches(pattern[1:], module[1:])


def test_mypy_is_strict_on_exactly_the_plain_modules() -> None:
    """The loose-mypy override of pyproject.toml names the same files as ruff's Django list."""
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["strict"] is True
    loose = [p.split(".") for o in mypy["overrides"] if o.get("disallow_untyped_defs") is False for p in o["module"]]
    patterns = django_file_patterns()
    for path in source_files():
        name = module_name(path)
        matched = any(mypy_matches(p, name.split(".")) for p in loose)
        assert matched == is_django_file(path, patterns), (name, "loose in mypy" if matched else "strict in mypy")


def linter_matches(expression: str, module: str) -> bool:
    """import-linter's module expressions as the contracts use them: ``*`` is one component, and a
    matched module covers its descendants (``as_packages``)."""
    pattern, parts = expression.split("."), module.split(".")
    return len(parts) >= len(pattern) and all(p in ("*", m) for p, m in zip(pattern, parts, strict=False))


def test_the_layer_contract_protects_exactly_the_django_files() -> None:
    """import-linter's adapters contract (make lint) names the same files as ruff's Django list."""
    [adapters] = [c for c in _pyproject()["tool"]["importlinter"]["contracts"] if c["id"] == "adapters"]
    protected = [e for e in adapters["protected_modules"] if e.startswith("boroughhub.")]
    assert {e for e in adapters["allowed_importers"] if e.startswith("boroughhub.*.")} >= {
        e for e in protected if e.startswith("boroughhub.*.")}
    patterns = django_file_patterns()
    for path in source_files():
        name = module_name(path)
        matched = any(linter_matches(e, name) for e in protected)
        assert matched == is_django_file(path, patterns), (name, "protected" if matched else "not protected")
