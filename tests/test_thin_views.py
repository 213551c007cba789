"""Issue 21: views never write to the database themselves; every write is one service call.

Reads each app's view modules and fails on a call that saves, creates, updates or deletes rows.
An app joins the list once its views pass."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "thidua"
APPS = (
    "api",
    "awards",
    "campaigns",
    "contests",
    "core",
    "notifications",
    "organizations",
    "participation",
    "portal",
    "reporting",
    "workspace",
)
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create",
          "update_or_create"}  # fmt: skip


def _view_modules(app: str) -> list[Path]:
    """views.py, a views/ package, and modules named *_views.py (awards.decision_views …)."""
    folder = SRC / app / "views"
    found = sorted(folder.glob("*.py")) if folder.is_dir() else []
    return found + sorted((SRC / app).glob("*views*.py"))


def _writes(path: Path) -> list[str]:
    return [
        f"{path.parent.name}/{path.name}:{node.lineno} .{node.func.attr}("
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    ]


@pytest.mark.parametrize("app", APPS)
def test_views_call_services_for_every_write(app):
    modules = _view_modules(app)
    assert modules
    assert [w for path in modules for w in _writes(path)] == []


def test_the_check_sees_a_write(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text("def v(request, item):\n    item.save()\n    Item.objects.create(a=1)\n")
    assert len(_writes(sample)) == 2


def _action_switches(path: Path) -> list[str]:
    """Reads of a posted "action" (`request.POST.get("action")`, `request.POST["action"]`)."""

    def is_post(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "POST"

    def is_action(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and node.value == "action"

    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        got = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and is_post(node.func.value)
            and bool(node.args)
            and is_action(node.args[0])
        )
        indexed = isinstance(node, ast.Subscript) and is_post(node.value) and is_action(node.slice)
        if got or indexed:
            found.append(f"{path.parent.name}/{path.name}:{node.lineno}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_each_action_has_its_own_view(app):
    """One URL and one view per action (architecture.md): no view switches on a posted action."""
    assert [a for path in _view_modules(app) for a in _action_switches(path)] == []


def test_the_check_sees_an_action_switch(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "def v(request):\n"
        "    if request.POST.get('action') == 'a':\n"
        "        pass\n"
        "    return request.POST['action']\n"
    )
    assert len(_action_switches(sample)) == 2
