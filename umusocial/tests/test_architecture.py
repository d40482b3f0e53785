"""The layers of docs/architecture.md hold: imports, template includes and URL reversals run
one way, from the top down (umusocial → approvals → channels → core), modules import in no
circle, and no module or function outgrows the sizes the house style sets."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# Lowest first. An app may use its own layer and those below it, never one above.
LAYERS = ["core", "channels", "approvals", "umusocial"]
LAYER = {app: i for i, app in enumerate(LAYERS)}
# URL namespaces by the app whose urls.py defines them.
NAMESPACES = {
    "channels": "channels",
    "public": "channels",
    "api-v1": "channels",
    "approvals": "approvals",
    "reports": "approvals",
    "devmail": "umusocial",
}
# Templates in these folders belong to these apps; the root templates (base.html, 404.html,
# _pagination.html) are the site's frame, which every page extends or includes.
TEMPLATE_OWNERS = {"channels": "channels", "approvals": "approvals", "emails": "approvals"}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50
MAX_VIEW_LINES = 30


def _modules() -> list[Path]:
    """Every non-test, non-migration Python module of the portal's apps."""
    paths = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts:
                continue
            paths.append(path)
    return paths


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, also inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            # `from approvals.handover import services` imports a module too.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_no_import_runs_up_the_layers() -> None:
    wrong = []
    for path in _modules():
        app = path.relative_to(ROOT).parts[0]
        for line, module in _imports(path):
            target = module.split(".")[0]
            if target in LAYER and LAYER[target] > LAYER[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "Imports that climb the layers:\n" + "\n".join(sorted(set(wrong)))


def test_no_modules_import_each_other_in_a_circle() -> None:
    names = {_module_name(path): path for path in _modules()}
    graph = {
        name: {m for _line, m in _imports(path) if m in names and m != name}
        for name, path in names.items()
    }
    cycles = []
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == [], "Modules that import each other:\n" + "\n".join(cycles)


def _test_modules() -> list[Path]:
    """Every test module of the portal's apps, and the root conftest.py."""
    paths = [ROOT / "conftest.py"]
    for app in LAYERS:
        paths += sorted(path for path in (ROOT / app).rglob("*.py") if "tests" in path.parts)
    return paths


def test_no_test_module_imports_another_test_module() -> None:
    """Shared helpers and factories live in each app's `testing` package, fixtures in
    conftest.py; a test that imports another test module also runs (or hides) its tests."""
    wrong = []
    for path in _test_modules():
        for line, module in _imports(path):
            if "tests" in module.split(".") or module.split(".")[0] == "conftest":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "Test modules that import test modules:\n" + "\n".join(sorted(set(wrong)))


def test_only_tests_use_the_testing_packages() -> None:
    """`<app>.testing` needs factory_boy and Playwright, which production does not install."""
    wrong = []
    for path in _modules():
        if "testing" in path.relative_to(ROOT).parts:
            continue
        for line, module in _imports(path):
            if "testing" in module.split("."):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == [], "Production modules that import test support:\n" + "\n".join(wrong)


TEMPLATE_REFERENCE = re.compile(
    r"""\{%\s*(?P<tag>include|extends|url)\s+["'](?P<target>[^"']+)["']"""
)


def _template_owner(template: str) -> str:
    folder = template.split("/")[0] if "/" in template else ""
    return TEMPLATE_OWNERS.get(folder, "umusocial")


def test_no_template_includes_or_links_up_the_layers() -> None:
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*.*")):
        name = str(path.relative_to(ROOT / "templates"))
        owner = _template_owner(name)
        for match in TEMPLATE_REFERENCE.finditer(path.read_text()):
            tag, target = match["tag"], match["target"]
            if tag == "url":
                namespace = target.split(":")[0] if ":" in target else None
                target_app = NAMESPACES.get(namespace) if namespace else None
            elif "/" not in target:  # the site's frame: base.html, _pagination.html
                continue
            else:
                target_app = _template_owner(target)
            if target_app and LAYER[target_app] > LAYER[owner]:
                wrong.append(f"templates/{name}: {tag} {target}")
    assert wrong == [], "Templates that reach up the layers:\n" + "\n".join(wrong)


def test_the_architecture_doc_draws_the_layers_the_test_checks() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text()
    head = doc.split("\n## ", 2)[1]  # the first section is the picture of the layers
    positions = [head.find(f"\n  {app} ") for app in reversed(LAYERS)]
    assert -1 not in positions and positions == sorted(positions), (
        "docs/architecture.md must open with the layers, top first: " + ", ".join(LAYERS[::-1])
    )


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def _too_big() -> set[str]:
    """Every module over MAX_MODULE_LINES and every function over its limit, as
    "path" or "path:function"."""
    found = set()
    for path in _modules():
        name = str(path.relative_to(ROOT))
        text = path.read_text()
        if text.count("\n") > MAX_MODULE_LINES:
            found.add(name)
        is_views = path.name == "views.py"
        for function in _functions(ast.parse(text)):
            length = function.end_lineno - function.lineno + 1
            public_view = is_views and not function.name.startswith("_")
            if length > (MAX_VIEW_LINES if public_view else MAX_FUNCTION_LINES):
                found.add(f"{name}:{function.name}")
    return found


def test_modules_and_functions_stay_small() -> None:
    grown = sorted(_too_big())
    assert grown == [], (
        f"Over {MAX_MODULE_LINES} lines a module, {MAX_FUNCTION_LINES} a function or "
        f"{MAX_VIEW_LINES} a view:\n" + "\n".join(grown)
    )
