"""House rules as lint (docs/ARCHITECTURE.md), run by `make lint`:

- only ``actions.py`` modules (and ``actions/`` packages) write to the database, and
  migrations; anywhere else (admin.py too: its writes call actions) this is an error:
  ``.save()`` or ``.delete()`` without positional arguments (a model instance; not
  ``image.save(buffer, "JPEG")`` or ``cache.delete(key)``), a write method (create,
  update, get_or_create, ...; add/remove/clear/set) called on the database, and raw SQL
  that writes (``cursor.execute("UPDATE ...")``);
- no module over MAX_LINES lines (migrations aside): a module that grows past it is split
  by responsibility; the few that are over it today (OVER_MAX_LINES) may only shrink;
- the Dutch catalogue is in step with the code: every message of the code is in
  ``locale/nl/.../django.po`` and translated (``--po``; runs makemessages), and the French
  one (``locale/fr``) holds at least 95 % of them.

"The database" is a manager (``Model.objects``, ``*_set``, a relation of the models such
as ``group.memberships``), a queryset made from one (``.filter()``, ...), or a name that a
function binds to one of these or annotates as a QuerySet: a little data flow within each
function, with the relation names read from the package's models.py files.  Dicts, sets,
widget attrs and files are none of these.

A line that must write elsewhere says why with ``# house-rule: <reason>``.
"""

import argparse
import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "buurtwacht"
WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "update",
    "select_for_update",  # a lock is taken to write
    "add",  # related managers (many-to-many, reverse foreign keys)
    "remove",
    "clear",
    "set",
}
# Calls only querysets have: their result is the database, whatever they are called on.
QUERYSET_METHODS = {
    "get_queryset",
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "select_for_update",
    "order_by",
    "annotate",
    "only",
    "defer",
}
# Calls that are the database again when called on the database.
CHAIN_METHODS = {"all", "distinct", "using", "none"}
QUERYSET_TYPES = {"QuerySet", "Manager", "RelatedManager"}
SQL_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def relation_names(package: Path = PACKAGE) -> frozenset[str]:
    """The models' relation fields and their related_name (the other side's manager)."""
    names = set()
    for path in package.rglob("models.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Call)
            ):
                continue
            if getattr(node.value.func, "attr", None) not in RELATIONS:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
            names.update(
                k.value.value
                for k in node.value.keywords
                if k.arg == "related_name" and isinstance(k.value, ast.Constant)
            )
    return frozenset(names - {"+"})


def _allowed_file(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return path.name == "actions.py" or "actions" in parts[:-1] or "migrations" in parts


class _Checker(ast.NodeVisitor):
    def __init__(self, relations: frozenset[str]) -> None:
        self.relations = relations
        self.names: list[set[str]] = [set()]  # per function: names bound to the database
        self.strings: list[dict[str, str]] = [{}]  # per function: names bound to a string
        self.found: list[tuple[int, str]] = []

    def database(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.names[-1]
        if isinstance(node, ast.Subscript):  # qs[:10]
            return self.database(node.value)
        if isinstance(node, ast.Attribute):  # a manager: Model.objects, group.memberships
            attr = node.attr
            return attr == "objects" or attr.endswith("_set") or attr in self.relations
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method = node.func.attr
            return method in QUERYSET_METHODS or (
                method in CHAIN_METHODS and self.database(node.func.value)
            )
        return False

    @staticmethod
    def queryset_type(annotation: ast.expr | None) -> bool:
        """`QuerySet[Alert]`, `"QuerySet[Alert]"`, `models.Manager`: not `list[Alert]`."""
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            annotation = ast.parse(annotation.value, mode="eval").body
        if isinstance(annotation, ast.Subscript):
            annotation = annotation.value
        name = getattr(annotation, "id", None) or getattr(annotation, "attr", None)
        return name in QUERYSET_TYPES

    def bind(self, body: list[ast.stmt]) -> None:
        """The names this code binds to the database (again until nothing changes:
        `b = a.all()` before `a = X.objects.filter(...)`), and to a constant string."""
        names, strings = self.names[-1], self.strings[-1]
        assignments = [n for n in _own_nodes(body) if isinstance(n, ast.Assign | ast.AnnAssign)]
        while True:
            before = len(names)
            for node in assignments:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = {t.id for t in targets if isinstance(t, ast.Name)}
                typed = isinstance(node, ast.AnnAssign) and self.queryset_type(node.annotation)
                if typed or (node.value is not None and self.database(node.value)):
                    names |= bound
                text = _text(node.value)
                if text is not None:
                    strings.update(dict.fromkeys(bound, text))
            if len(names) == before:
                return

    def visit_Module(self, node: ast.Module) -> None:
        self.bind(node.body)
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        names = set(self.names[-1])  # a closure sees its function's names
        names.update(a.arg for a in arguments if self.queryset_type(a.annotation))
        self.names.append(names)
        self.strings.append(dict(self.strings[-1]))
        self.bind(node.body)
        self.generic_visit(node)
        self.names.pop()
        self.strings.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute) and self.writes(node, node.func):
            self.found.append((node.lineno, node.func.attr))
        self.generic_visit(node)

    def writes(self, call: ast.Call, method: ast.Attribute) -> bool:
        if method.attr in ("save", "delete"):
            return not call.args  # model.save(), instance.delete(); not image.save(buffer)
        if method.attr in ("execute", "executemany"):
            return bool(call.args) and self.sql(call.args[0])
        return method.attr in WRITES and self.database(method.value)

    def sql(self, node: ast.expr) -> bool:
        """Whether `node` is SQL that writes: a string, an f-string, or a name bound to one."""
        text = self.strings[-1].get(node.id) if isinstance(node, ast.Name) else _text(node)
        return bool(text and SQL_WRITE.match(text))


def _own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """The nodes of a function's (or module's) own code, not of the functions and
    classes defined in it: those bind names of their own."""
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(node))


def _text(node: ast.expr | None) -> str | None:
    """A string constant, or an f-string's fixed parts; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
    return None


def writes_in(source: str, relations: frozenset[str]) -> list[tuple[int, str]]:
    """(line, method) of every database write in `source`, except on lines that say
    why with ``# house-rule:``."""
    checker = _Checker(relations)
    checker.visit(ast.parse(source))
    lines = source.splitlines()
    return sorted(
        (line, name) for line, name in checker.found if "# house-rule:" not in lines[line - 1]
    )


def check_writes() -> int:
    relations = relation_names()
    errors = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        if _allowed_file(path):
            continue
        for line, name in writes_in(path.read_text(), relations):
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
    errors += check_french(catalogue)
    if errors:
        print("Run makemessages (README), translate, `make messages`, and commit the .po files.")
    return errors


FRENCH_AT_LEAST = 0.95  # of the code's messages; new strings may wait a little for French


def check_french(dutch: list) -> int:  # polib.POFile: a list of entries
    """The French catalogue (Belgium) holds at least FRENCH_AT_LEAST of the messages."""
    import polib

    path = PACKAGE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return 0
    french = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(path))
        if (e.msgstr or any(e.msgstr_plural.values())) and "fuzzy" not in e.flags
    }
    wanted = [(e.msgctxt, e.msgid) for e in dutch]
    done = sum(1 for key in wanted if key in french)
    if wanted and done / len(wanted) < FRENCH_AT_LEAST:
        print(
            f"{path.relative_to(ROOT)}: {done} of {len(wanted)} messages in French "
            f"({done / len(wanted):.0%}); at least {FRENCH_AT_LEAST:.0%} is asked"
        )
        return 1
    return 0


MAX_LINES = 500
# Over MAX_LINES when the rule came (issue 23's house): each may only shrink until it is
# split.  Not a place for new ones.
OVER_MAX_LINES = {
    "bench/fanout.py": 1834,
    "bench/scale.py": 825,
    "buurtwacht/groups/actions.py": 959,
    "buurtwacht/web/views/groups.py": 717,
    "buurtwacht/notify/actions.py": 652,
    "buurtwacht/core/backup.py": 579,
    "buurtwacht/alerts/actions.py": 555,
    "buurtwacht/moderation/patterns_nl.py": 505,
}


def check_module_sizes() -> int:
    errors = 0
    for folder in ("buurtwacht", "bench", "tools", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = path.relative_to(ROOT).as_posix()
            lines = len(path.read_text(encoding="utf-8").splitlines())
            limit = OVER_MAX_LINES.get(name, MAX_LINES)
            if lines > limit:
                print(f"{name}: {lines} lines, over {limit}: split it by responsibility")
                errors += 1
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--po", action="store_true", help="also check the Dutch catalogue")
    args = parser.parse_args()
    errors = check_writes() + check_module_sizes() + (check_po() if args.po else 0)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
