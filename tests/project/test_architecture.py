"""The rooms depend one way: groups <- groundrules, venues <- safespace's apps.

Read from the source, so a new upward import (or a migration that depends on an
app above) fails here, before it becomes a habit.
"""

import ast
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[2]

# Each of our apps, by its package, and the apps of ours it may use.
ALLOWED = {
    "groups": set(),
    "groundrules": {"groups"},
    "venues": {"groups"},
    "safespace.accounts": {"groups", "groundrules", "venues"},
    "safespace.dashboard": {"groups", "groundrules", "venues"},
    "safespace.demo": {"groups", "groundrules", "venues"},
}
LABELS = {"groups": "groups", "groundrules": "groundrules", "venues": "venues"}
LABELS.update({name: name.split(".")[1] for name in ALLOWED if name.startswith("safespace.")})


def _our_app(module: str) -> str | None:
    """The app a dotted module name belongs to, if it is one of ours."""
    for name in sorted(ALLOWED, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def _imports(path: Path, package: str):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts)
                yield f"{base}.{node.module}" if node.module else base
            else:
                yield node.module


def _package_of(path: Path) -> str:
    """The package a file's relative imports start from (a package's __init__: itself)."""
    return ".".join(path.relative_to(ROOT).parts[:-1])


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    folder = ROOT.joinpath(*app.split("."))
    files = [p for p in folder.rglob("*.py") if "migrations" not in p.parts]
    assert files, f"no source found for {app}"
    wrong = []
    for path in files:
        for module in _imports(path, _package_of(path)):
            other = _our_app(module or "")
            if other and other != app and other not in ALLOWED[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_project_package_holds_only_configuration_and_its_apps():
    top = {p.name for p in (ROOT / "safespace").iterdir() if not p.name.startswith("__")}
    assert top == {
        "settings.py",
        "settings_test.py",
        "urls.py",
        "wsgi.py",
        "env.py",
        "logging.py",
        "accounts",
        "dashboard",
        "demo",
    }


def test_migrations_depend_only_on_the_apps_below():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {LABELS[name]: {LABELS[other] for other in below} for name, below in ALLOWED.items()}
    wrong = []
    for (label, name), migration in loader.disk_migrations.items():
        if label not in ours:
            continue
        for dep_label, _dep_name in migration.dependencies:
            if dep_label in ours and dep_label != label and dep_label not in ours[label]:
                wrong.append(f"{label}.{name} depends on {dep_label}")
    assert not wrong, "\n".join(wrong)
    # Each app's migrations are one line: 0001_initial, then 0002, 0003… each once (two
    # branches that both add a 0002 must be put in line, not merged into a fork).
    for label in ours:
        names = sorted(n for (lab, n) in loader.disk_migrations if lab == label)
        if not names:
            continue
        assert names[0] == "0001_initial", (label, names)
        numbers = [int(name[:4]) for name in names]
        assert numbers == list(range(1, len(names) + 1)), (label, names)


def test_models_and_migrations_agree(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("Models and migrations disagree:\n" + out.getvalue())


def test_the_user_model_lives_at_the_bottom():
    from django.contrib.auth import get_user_model

    assert get_user_model()._meta.label == "groups.User"
    assert apps.get_app_config("groups").name == "groups"
