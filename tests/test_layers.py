"""The rooms of the code and the one direction of their imports (docs/ARCHITECTURE.md).

Every import a project module makes, at its top or inside a function, is read from its source:
a room imports only from rooms below it (or from itself), so no cycle between rooms can form.
The domain needs no web framework, database or LibreOffice, and the engine knows nothing of forms.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom to top; rooms on one line are peers and may import each other.
LAYERS = [
    ("forms",),                      # the domain: vocabularies, rules, each form's fields
    ("office",),                     # the LibreOffice engine
    ("documents", "templates_docx"),  # docxtpl, composition, packets, the templates' builders
    ("schemas",),                    # marshmallow, from the domain
    ("sheets",),                     # spreadsheets read and written
    ("archive",),                    # models, store, the issue service, reports
    ("jobs",),                       # background runners
    ("auth", "api", "web", "commands"),  # the faces (HTTP, command line) and who may use them
    ("app", "wsgi", "celery_worker"),  # the factory and the entry points
]
LEVEL = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}
# What a room must not use even from outside the project.
FORBIDDEN = {
    "forms": {"flask", "flask_smorest", "sqlalchemy", "uno", "docxtpl", "docx", "openpyxl"},
    "office": {"flask", "sqlalchemy"},
    "documents": {"flask", "sqlalchemy"},
    "archive": {"flask_smorest", "flask_limiter", "flask_wtf"},
}
# Names a room must not take from outside: the archive serves HTTP, the batch and the command
# line alike, so it never reads a request or answers one.
FORBIDDEN_NAMES = {
    "archive": {("flask", name) for name in ("request", "session", "g", "abort", "current_app")},
}
# The engine knows nothing of forms: no project room at all below it.
SEALED = {"office"}


def modules():
    for path in sorted(ROOT.glob("*.py")) + sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in LEVEL or (len(relative.parts) == 1 and path.stem in LEVEL):
            yield relative


def imports(relative, root=ROOT):
    """What the module at `relative` imports: each module's top-level name, absolute or
    relative, and (module, name) for each name taken with `from … import`."""
    tree = ast.parse((root / relative).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside its own room
                yield relative.parts[0].removesuffix(".py"), node.lineno
            elif node.module:
                yield node.module.split(".")[0], node.lineno
                for alias in node.names:
                    yield (node.module, alias.name), node.lineno


def room_of(relative):
    return relative.parts[0].removesuffix(".py")


def test_every_room_has_a_layer():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    unplaced = packages - set(LEVEL) - {"tests", "bench"}
    assert not unplaced, f"rooms with no layer in LAYERS: {sorted(unplaced)}"


@pytest.mark.parametrize("relative", list(modules()), ids=str)
def test_imports_go_downwards(relative):
    room = room_of(relative)
    wrong = []
    for name, line in imports(relative):
        if isinstance(name, tuple):
            if name in FORBIDDEN_NAMES.get(room, ()):
                wrong.append(f"{relative}:{line} takes {name[1]} from {name[0]}")
            continue
        if name in LEVEL and name != room:
            if LEVEL[name] > LEVEL[room]:
                wrong.append(f"{relative}:{line} imports {name} (a layer above)")
            elif room in SEALED:
                wrong.append(f"{relative}:{line} imports {name} (the engine knows no form)")
        if name in FORBIDDEN.get(room, ()):
            wrong.append(f"{relative}:{line} imports {name}, which {room} must not use")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_an_upward_import(tmp_path):
    """The reader is not blind to an import inside a function, nor to a name taken."""
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "x.py").write_text("def f():\n    from archive.db import Database\n")
    found = list(imports(Path("forms/x.py"), root=tmp_path))
    assert ("archive", 2) in found and (("archive.db", "Database"), 2) in found
    assert LEVEL["archive"] > LEVEL["forms"]
