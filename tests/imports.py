"""Reading a file's imports, for the tests that check a room's arrows beside the import contracts."""

import ast
from pathlib import Path


def file_imports(path: Path) -> list[tuple[str, int, bool]]:
    """Return (module, line, inside a function) for every absolute import of a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                found.append((child.module or "", child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def function_imports(path: Path) -> list[tuple[str, int, str]]:
    """Return (module, line, enclosing function) for every import inside a function, relative ones too."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, function: str | None):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if function is not None and isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, function) for alias in child.names)
            elif function is not None and isinstance(child, ast.ImportFrom):
                found.append(("." * child.level + (child.module or ""), child.lineno, function))
            visit(child, inner)

    visit(tree, None)
    return found
