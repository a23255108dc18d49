"""Generate exercises/ from solutions/ (one source, two outputs).

    python tools/make_exercises.py            rewrite exercises/ from solutions/
    python tools/make_exercises.py --check    exit 1 (and list the files) if exercises/ is out of date

In a solution notebook, the learner's part of a cell sits between nbgrader's markers:

    def sigmoid(z):
        ### BEGIN SOLUTION
        return ...
        ### END SOLUTION

The exercise gets, at the marker's indentation,

        # YOUR CODE HERE
        raise NotImplementedError()

(in a markdown cell: "YOUR ANSWER HERE"). Outputs are stripped. A code cell that
would fail while a task is unfinished (it calls an unfinished function, uses a
value an unfinished cell computes, or is itself unfinished top-level code) gets
the tag ``raises-exception``, so that Run All goes on past it; the check cells
(``checks.check_...(fn)``) catch NotImplementedError themselves and need no tag.

Run ``python tools/nav.py`` and this tool in either order: each leaves the
other's work unchanged (this tool adds the exercises' navigation itself).
"""

import argparse
import ast
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nav  # noqa: E402

ROOT = nav.ROOT
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CODE_STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
MARKDOWN_STUB = "YOUR ANSWER HERE"
RAISES = "raises-exception"
CHECKS_MODULE = "checks"      # check calls look like checks.check_sigmoid(sigmoid)


# ---- replacing solutions ------------------------------------------------------

def solution_regions(source):
    """(indent, start line, end line) of every marked region, end line inclusive."""
    lines = source.split("\n")
    regions, start = [], None
    for i, line in enumerate(lines):
        if line.strip() == BEGIN:
            if start is not None:
                raise ValueError(f"{BEGIN!r} inside another solution region:\n{source}")
            start = i
        elif line.strip() == END:
            if start is None:
                raise ValueError(f"{END!r} without {BEGIN!r}:\n{source}")
            indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())]
            regions.append((indent, start, i))
            start = None
    if start is not None:
        raise ValueError(f"{BEGIN!r} without {END!r}:\n{source}")
    return regions


def blank_out(source, stub):
    """The source with every solution region replaced by ``stub`` lines (indented like the marker)."""
    lines = source.split("\n")
    for indent, start, end in reversed(solution_regions(source)):
        lines[start:end + 1] = [indent + s for s in stub]
    return "\n".join(lines)


def solution_text(source):
    """Only the lines inside the solution regions (to check that none leaks)."""
    lines = source.split("\n")
    return ["\n".join(lines[start + 1:end]) for _, start, end in solution_regions(source)]


def has_top_level_solution(source):
    return any(indent == "" for indent, _, _ in solution_regions(source))


# ---- which cells fail while the tasks are unfinished ---------------------------

def parse(source):
    """The cell's AST; IPython magics and shell lines count as empty lines (line numbers stay)."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")]
    return ast.parse("\n".join(lines))


def assigned_names(tree):
    """Names a cell binds at top level (assignments, for-loops, imports, defs)."""
    names = set()
    for node in tree.body:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                names.add(sub.id)
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def is_check_call(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == CHECKS_MODULE)


def uses_unfinished(tree, functions, values):
    """Does running this code touch an unfinished function or value?

    Passing an unfinished function to a check is fine (the check reports
    "not implemented yet"); calling it, or handing it to anything else, is not.
    """
    handed_to_checks = {id(arg) for node in ast.walk(tree) if is_check_call(node)
                        for arg in list(node.args) + [k.value for k in node.keywords]}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in values:
                return True
            if node.id in functions and id(node) not in handed_to_checks:
                return True
    return False


def functions_defined(tree):
    return [node for node in tree.body if isinstance(node, ast.FunctionDef)]


def cells_that_raise(sources):
    """Indices of the code cells (given as (index, solution source)) that fail in the exercise."""
    functions, values, failing = set(), set(), set()
    for index, source in sources:
        tree = parse(source)
        regions = solution_regions(source)
        for fn in functions_defined(tree):
            if any(fn.lineno - 1 < start < fn.end_lineno for _, start, _ in regions):
                functions.add(fn.name)          # a task: unfinished in the exercise
            elif uses_unfinished(ast.Module(body=fn.body, type_ignores=[]), functions, values):
                functions.add(fn.name)          # a helper that calls a task
        top_level = [node for node in tree.body if not isinstance(node, ast.FunctionDef)]
        if has_top_level_solution(source) or uses_unfinished(ast.Module(body=top_level, type_ignores=[]),
                                                             functions, values):
            failing.add(index)
            values |= assigned_names(tree) - {fn.name for fn in functions_defined(tree)}
    return failing


# ---- the exercise notebook -------------------------------------------------------

def tags_of(cell):
    return cell.metadata.get("tags", [])


def exercise_from(solution, folder_index):
    """The exercise notebook made from a solution notebook (a new object)."""
    nb = nbformat.from_dict(solution)
    nb.cells = [c for c in nb.cells if not set(tags_of(c)) & set(nav.GENERATED_TAGS)]
    code = [(i, c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    failing = cells_that_raise(code)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
        if cell.cell_type == "code":
            cell.source = blank_out(cell.source, CODE_STUB)
            cell.outputs = []
            cell.execution_count = None
            if i in failing and RAISES not in tags_of(cell):
                cell.metadata["tags"] = tags_of(cell) + [RAISES]
        elif cell.cell_type == "markdown":
            cell.source = blank_out(cell.source, (MARKDOWN_STUB,))
    nb.metadata.pop("widgets", None)
    return nav.with_navigation(nb, "exercises", folder_index)


def pairs():
    """(solution path, exercise path, course index) for every solution notebook."""
    for index, (stem, _, has_exercise) in enumerate(nav.COURSE):
        solution = ROOT / "solutions" / f"{stem}.ipynb"
        if has_exercise and solution.exists():
            yield solution, ROOT / "exercises" / f"{stem}.ipynb", index


def render(solution_path, index):
    solution = nbformat.reads(solution_path.read_text(encoding="utf-8"), as_version=4)
    return nbformat.writes(exercise_from(solution, index)) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report exercises that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for solution_path, exercise_path, index in pairs():
        text = render(solution_path, index)
        old = exercise_path.read_text(encoding="utf-8") if exercise_path.exists() else None
        if text != old:
            stale.append(exercise_path.relative_to(ROOT))
            if not args.check:
                exercise_path.parent.mkdir(exist_ok=True)
                exercise_path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("exercises/ is out of date (run python tools/make_exercises.py):", *stale, sep="\n  ")
        return 1
    if not args.check:
        print(f"updated {len(stale)} exercise notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
