"""House rules as lint (docs/ARCHITECTURE.md), run by `make lint`:

- only ``actions.py`` modules (and ``actions/`` packages) write to the database: a call of
  save/delete/create/update/... on a model, a manager or a queryset anywhere else is an error;
- the Dutch catalogue is in step with the code: every message of the code is in
  ``locale/nl/.../django.po`` and translated (``--po``; runs makemessages).

A line that must write elsewhere says why with ``# house-rule: <reason>``.
"""

import argparse
import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "buurtwacht"
WRITES = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "select_for_update",  # a lock is taken to write
}
# What a write is called on: a manager, a queryset, or a model instance.
QUERYSET_METHODS = {"objects", "filter", "exclude", "all", "select_related", "prefetch_related"}


def _allowed_file(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return (
        path.name == "actions.py"
        or "actions" in parts[:-1]
        or "migrations" in parts
        or path.name == "admin.py"  # read-only admins; their writes go through actions
    )


def _receiver_is_database(node: ast.expr) -> bool:
    """Whether `node` (what .save()/.update() is called on) looks like a manager, a
    queryset or a model instance rather than a dict, a file or an image."""
    while isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        if node.attr in QUERYSET_METHODS or node.attr.endswith("_set"):
            return True
        return _receiver_is_database(node.value)
    return False


def database_writes(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in WRITES:
            continue
        if name != "save" and not _receiver_is_database(node.func.value):
            continue
        if name == "save" and node.args:  # image.save(buffer, "JPEG"), not model.save()
            continue
        if "# house-rule:" in lines[node.lineno - 1]:
            continue
        found.append((node.lineno, name))
    return found


def check_writes() -> int:
    errors = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if _allowed_file(path):
            continue
        for line, name in database_writes(path):
            print(f"{path.relative_to(ROOT)}:{line}: .{name}() writes outside actions.py")
            errors += 1
    return errors


def check_po() -> int:
    import polib

    po_path = PACKAGE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    before = {entry.msgid for entry in polib.pofile(str(po_path))}
    kept = {path: path.read_bytes() for path in PACKAGE.glob("locale/*/LC_MESSAGES/django.po")}
    subprocess.run(  # noqa: S603  (our own manage.py)
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "nl",
            "-l",
            "en",
            "--no-location",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=PACKAGE,
        check=True,
    )
    catalogue = polib.pofile(str(po_path))
    for path, data in kept.items():  # a check changes nothing
        path.write_bytes(data)
    errors = 0
    for msgid in sorted({entry.msgid for entry in catalogue} ^ before):
        print(f"{po_path.relative_to(ROOT)}: not in step with the code: {msgid[:70]!r}")
        errors += 1
    for entry in catalogue:
        untranslated = not (entry.msgstr or any(entry.msgstr_plural.values()))
        if untranslated or "fuzzy" in entry.flags:
            print(f"{po_path.relative_to(ROOT)}: no Dutch for {entry.msgid[:70]!r}")
            errors += 1
    if errors:
        print("Run makemessages (README), translate, `make messages`, and commit the .po files.")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--po", action="store_true", help="also check the Dutch catalogue")
    args = parser.parse_args()
    errors = check_writes() + (check_po() if args.po else 0)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
