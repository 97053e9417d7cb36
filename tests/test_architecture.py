"""Keeps the dependency direction of DESIGN.md true: lower domains never import higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"
LAYERS = {
    "accounts": 0,
    "taxonomy": 0,
    "metadata": 0,
    "catalog": 1,
    "ratings": 2,
    "importing": 2,
    "search": 3,
    "exporting": 3,
    "browse": 4,
    "curation": 5,
    "system": 5,
}
# The modules that put the app together; every other module beside the packages is the shared kernel:
# plumbing every domain may use, which therefore imports none of them.
COMPOSITION_ROOTS = {"__init__.py", "main.py", "cli.py", "models.py"}
NOT_DOMAINS = {"web", "static", "templates", "translations"}
WEB_MODULES = ("fastapi", "starlette", "app.web")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _domain(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "app" and parts[1] in LAYERS else None


def test_lower_domains_never_import_higher_ones() -> None:
    violations = []
    for path in APP.rglob("*.py"):
        own = _domain("app." + path.relative_to(APP).as_posix().removesuffix(".py").replace("/", "."))
        if own is None:
            continue
        for name in _imports(path):
            other = _domain(name)
            if other and other != own and LAYERS[other] >= LAYERS[own]:
                violations.append(f"{path.relative_to(APP)} imports {name}")
    assert violations == []


def test_every_package_has_a_layer() -> None:
    packages = {path.name for path in APP.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert packages - NOT_DOMAINS <= set(LAYERS)


def test_the_kernel_imports_no_domain() -> None:
    kernel = [path for path in APP.glob("*.py") if path.name not in COMPOSITION_ROOTS]
    kernel += list((APP / "web").rglob("*.py"))
    violations = [
        f"{path.relative_to(APP)} imports {name}"
        for path in kernel
        for name in _imports(path)
        if _domain(name) is not None
    ]
    assert violations == []


def test_services_do_not_know_about_the_web() -> None:
    violations = []
    for path in APP.rglob("service.py"):
        violations += [
            f"{path.relative_to(APP)} imports {name}"
            for name in _imports(path)
            if name.startswith(WEB_MODULES)
        ]
    assert violations == []


def test_only_the_registry_users_import_every_model() -> None:
    allowed = {"main.py", "models.py", "cli.py"}
    users = [
        path.relative_to(APP).as_posix()
        for path in APP.rglob("*.py")
        if "app.models" in _imports(path) and path.name not in allowed
    ]
    assert all(user.startswith("importing/seeding") for user in users), users
