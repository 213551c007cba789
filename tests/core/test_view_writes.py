"""Views never write to the database themselves (docs/architecture.md §3, issue 21): a view
module that calls `.save(`, `.objects.create`, `.update(` or `.delete(` fails this test. Writes
belong in a service, which checks permission, logs the action and commits once."""

import ast
from pathlib import Path

import thidua

SRC = Path(thidua.__file__).parent
WRITES = {"save", "update", "delete", "create", "bulk_create", "bulk_update", "get_or_create"}
# A write allowed in a view must be named here with its reason. Keep it empty.
ALLOWED: set[tuple[str, str]] = set()


def _view_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "views" in p.name or p.parent.name == "views")


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        # A model's save()/delete() and a queryset's update(field=…) take no positional
        # argument; image.save(buffer), a_set.update(ids) and a_dict.update(other) do.
        if name in {"save", "update", "delete"} and not node.args:
            found.append(f"{path.relative_to(SRC)}:{node.lineno} .{name}(")
        elif name in WRITES and _on_manager(node.func.value):
            found.append(f"{path.relative_to(SRC)}:{node.lineno} .objects.{name}(")
    return found


def _on_manager(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "objects"


def test_view_modules_are_found():
    names = {p.name for p in _view_modules()}
    assert {"views.py", "decision_views.py", "registry_views.py"} <= names


def test_no_view_writes_to_the_database():
    found = [w for p in _view_modules() for w in _writes(p)]
    assert [w for w in found if (w.split(":")[0], w.split(" ")[1]) not in ALLOWED] == []


def test_the_scan_sees_each_kind_of_write(tmp_path, monkeypatch):
    view = tmp_path / "views.py"
    view.write_text(
        "def v(request, n, image, buffer, ids):\n"
        "    n.save(update_fields=['status'])\n"
        "    Thing.objects.create(a=1)\n"
        "    Thing.objects.filter(a=1).update(b=2)\n"
        "    n.delete()\n"
        "    image.save(buffer)\n"  # not a database write
        "    ids.update({1})\n",  # a set
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tmp_path)
    assert [w.split(" ")[1] for w in _writes(view)] == [
        ".save(",
        ".objects.create(",
        ".update(",
        ".delete(",
    ]
