"""Dependencies between the project's apps point one way: no app imports,
directly or through others, an app that imports it back.

Every module of every top-level package of the project (the apps, `config`,
`bench`) is parsed, including imports inside functions and `TYPE_CHECKING`
blocks and `importlib.import_module("…")` with a literal name; an edge
A → B means some module of A imports B. Where a lower app must react to a
higher one, the lower app sends a signal or an event that the higher one
receives (e.g. `account.events`)."""

import ast
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


# The restaurant CRM's layers: what each app may import. `api` is the JSON
# API base; `restaurants` is the lowest CRM app (the others have foreign keys
# to it); logging a CALL interaction moves the call plan (track → call);
# `crm` (the pages and demo data) composes them all and nothing imports it.
_BELOW_CRM = {"core", "account", "config", "api"}
CRM_LAYERS = {
    "api": {"core", "account"},
    "restaurants": _BELOW_CRM,
    "contact": _BELOW_CRM | {"restaurants"},
    "call": _BELOW_CRM | {"restaurants"},
    "track": _BELOW_CRM | {"restaurants", "contact", "call"},
    "crm": _BELOW_CRM | {"restaurants", "contact", "call", "track"},
}


def project_packages():
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if (path / "__init__.py").is_file() and path.name != "tests"
    )


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module, node, is_package):
    """The absolute name imported by a `from … import` node."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_names(path):
    """(line, imported module) for every import in the file."""
    module = _module_name(path)
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, _absolute(module, node, is_package)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def app_graph():
    """{app: {imported app: ["path:line imports module", …]}}"""
    apps = project_packages()
    graph = {app: {} for app in apps}
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, name in imported_names(path):
                target = name.split(".")[0]
                if target in graph and target != app:
                    where = f"{path.relative_to(ROOT)}:{line} imports {name}"
                    graph[app].setdefault(target, []).append(where)
    return graph


def strongly_connected(graph):
    """Tarjan's algorithm: the groups of apps that reach each other."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [group for group in groups if len(group) > 1]


def describe(graph, group):
    lines = [" ↔ ".join(sorted(group)) + ":"]
    for app in sorted(group):
        for target in sorted(set(graph[app]) & group):
            lines += [f"  {app} → {target}", *(f"    {w}" for w in graph[app][target])]
    return "\n".join(lines)


def cycles(known=()):
    graph = app_graph()
    found = [group for group in strongly_connected(graph) if group not in known]
    return [describe(graph, group) for group in found]


def test_every_app_is_parsed():
    assert set(settings.FIELDBOOK_APPS) | {"config"} <= set(project_packages())


def test_no_import_cycle_between_apps():
    found = cycles()
    assert not found, "Import cycles between apps:\n" + "\n".join(found)


def test_apps_import_only_apps_listed_before_them():
    """FIELDBOOK_APPS lists the apps from the lowest layer up."""
    order = {app: position for position, app in enumerate(settings.FIELDBOOK_APPS)}
    graph = app_graph()
    wrong = [
        f"{app} → {target}: {graph[app][target]}"
        for app in order
        for target in sorted(set(graph.get(app, {})) & set(order))
        if order[target] > order[app]
    ]
    assert not wrong, "Imports of an app listed later in FIELDBOOK_APPS:\n" + "\n".join(wrong)


def test_crm_apps_import_only_the_layers_below():
    graph = app_graph()
    wrong = [
        f"{app} → {target}: {graph[app][target]}"
        for app, allowed in CRM_LAYERS.items()
        for target in sorted(set(graph[app]) - allowed)
    ]
    wrong += [
        f"{app} → crm: {targets['crm']}" for app, targets in graph.items() if "crm" in targets
    ]
    assert not wrong, "\n".join(wrong)


def test_the_finder_sees_every_kind_of_import(tmp_path, monkeypatch):
    sources = {
        "low": "def later():\n    from high.models import X\n",
        "high": "from low import models\nfrom ..models import Y\n",
        "top": "import importlib\nimportlib.import_module('low.demo')\n",
    }
    for app, source in sources.items():
        (tmp_path / app / "sub").mkdir(parents=True)
        (tmp_path / app / "__init__.py").write_text("")
        (tmp_path / app / "sub" / "__init__.py").write_text("")
        (tmp_path / app / "sub" / "mod.py").write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    graph = app_graph()
    assert graph == {
        "high": {"low": ["high/sub/mod.py:1 imports low"]},
        "low": {"high": ["low/sub/mod.py:2 imports high.models"]},
        "top": {"low": ["top/sub/mod.py:2 imports low.demo"]},
    }
    assert strongly_connected(graph) == [{"low", "high"}]
    assert cycles() == [
        "high ↔ low:\n"
        "  high → low\n    high/sub/mod.py:1 imports low\n"
        "  low → high\n    low/sub/mod.py:2 imports high.models"
    ]
    assert cycles(known=[{"high", "low"}]) == []
