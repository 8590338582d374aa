"""Every environment variable the app reads is in the README's settings table, and every
row there is one the app reads (AXES_FAILURE_LIMIT, PROXY_COUNT, EMAIL_USE_SSL and LOG_LEVEL
were read but not documented)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by `manage.py serve` for the workers it starts, not by whoever runs the app.
INTERNAL = {"BUURTWACHT_WARM_REGISTER"}
DIRECT = {"os.environ.get", "os.getenv"}


def dotted(node: ast.AST) -> str:
    """os.environ.get -> "os.environ.get"; anything else that is not a name -> ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and (base := dotted(node.value)):
        return f"{base}.{node.attr}"
    return ""


def first_argument(call: ast.Call) -> ast.AST | None:
    return call.args[0] if call.args else None


def environment_names(paths: list[Path]) -> set[str]:
    """The names read with os.environ.get / os.getenv / os.environ[...], or passed to a
    function that hands its first parameter on to one of those (env_bool, env_number,
    env_list, settings._days, ..., found by following the calls, not listed here)."""
    trees = [ast.parse(path.read_text(), filename=str(path)) for path in paths]
    functions = [
        node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
    ]
    readers = set(DIRECT)

    def is_reader(call: ast.Call) -> bool:
        name = dotted(call.func)
        return name in DIRECT or name.rpartition(".")[2] in readers - DIRECT

    while True:
        found = {
            function.name
            for function in functions
            if function.args.args
            and any(
                isinstance(call, ast.Call)
                and is_reader(call)
                and isinstance(argument := first_argument(call), ast.Name)
                and argument.id == function.args.args[0].arg
                for call in ast.walk(function)
            )
        } - readers
        if not found:
            break
        readers |= found
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and is_reader(node):
                argument = first_argument(node)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                argument = node.slice if dotted(node.value) == "os.environ" else None
            else:
                continue
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                names.add(argument.value)
    return names - INTERNAL


def documented_names() -> set[str]:
    """The variables in the first column of the README's table (`NAME`, `OTHER`)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuratie", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_every_environment_variable_is_in_the_readme_table():
    read = environment_names(sorted((ROOT / "buurtwacht").rglob("*.py")))
    # The walk finds each way of reading one (direct, the helpers, a helper's helper).
    assert {"DATABASE_URL", "DEBUG", "CONN_MAX_AGE", "ALLOWED_HOSTS", "RETENTION_CHAT_DAYS"} <= read
    assert {"DATA_DIR", "SECRET_KEY", "VAPID_PRIVATE_KEY"} <= read  # outside settings.py too
    documented = documented_names()
    assert sorted(read - documented) == [], "read but not in the README's table"
    assert sorted(documented - read) == [], "in the README's table but never read"
