"""exercises/ is generated from solutions/ and stays in step with it; the solved
notebooks pass every check; the unsolved ones fail every check (nbgrader's
``validate --invert`` idea) and leak no solution code.

(nbval runs both folders as well: solutions strictly against their stored
outputs, exercises as a learner finds them — see pyproject.toml.)
"""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_exercises  # noqa: E402
import nav  # noqa: E402

STEMS = [stem for stem, _, has_exercise in nav.COURSE if has_exercise]
SOLUTIONS = [ROOT / "solutions" / f"{stem}.ipynb" for stem in STEMS]
EXERCISES = [ROOT / "exercises" / f"{stem}.ipynb" for stem in STEMS]


def read(path):
    return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def is_check_cell(cell):
    return cell.cell_type == "code" and "checks.check_" in cell.source


def printed(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")


# ---- both folders exist and are in step --------------------------------------------------------

def test_every_lesson_with_exercises_has_a_solution_and_an_exercise():
    missing = [p.relative_to(ROOT).as_posix() for p in SOLUTIONS + EXERCISES if not p.exists()]
    assert not missing, f"missing: {missing}"


def test_exercises_are_up_to_date_with_solutions():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "make_exercises.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", SOLUTIONS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_navigation_is_current_so_nav_and_make_exercises_agree(path):
    folder = path.parent.name
    index = [stem for stem, _, _ in nav.COURSE].index(path.stem)
    text = path.read_text(encoding="utf-8")
    assert nbformat.writes(nav.with_navigation(read(path), folder, index)) + "\n" == text, \
        f"run python tools/nav.py (then python tools/make_exercises.py): {path.name}"


@pytest.mark.parametrize("path", SOLUTIONS + EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_goal_first_and_take_away_last(path):
    nb = read(path)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert "nav-header" in tags[0] and "colab-setup" in tags[1] and "nav-footer" in tags[-1]
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert "## What you will learn" in markdown[1] and "## What you need to know" in markdown[1]
    assert "## What to take away" in markdown[-2]
    assert any("import bpkit" in c.source for c in code_cells(nb))


# ---- the solutions -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_is_executed_and_passes_every_check(path):
    nb = read(path)
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name} was not run top to bottom in one go"
    assert not [o for c in code_cells(nb) for o in c.outputs if o.output_type == "error"]
    check_cells = [c for c in nb.cells if is_check_cell(c)]
    assert check_cells, f"{path.name} has no check"
    for cell in check_cells:
        out = printed(cell)
        assert out.startswith("✔") and "✘" not in out and "not implemented" not in out, f"{cell.source}: {out}"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_task_has_hint_and_check_and_nbgrader_metadata(path):
    nb = read(path)
    grade_ids = []
    for i, cell in enumerate(nb.cells):
        if make_exercises.BEGIN not in cell.source:
            continue
        meta = cell.metadata.get("nbgrader", {})
        assert meta.get("solution") is True, f"solution cell without nbgrader metadata: {cell.source[:60]}"
        grade_ids.append(meta["grade_id"])
        if cell.cell_type == "code":
            task = make_exercises.parse(cell.source).body[0].name
            assert "<details>" in nb.cells[i - 1].source, f"task {task} has no hint to unfold"
            assert nb.cells[i + 1].source == f"checks.check_{task}({task})", f"task {task} is not checked next"
    assert grade_ids and len(set(grade_ids)) == len(grade_ids)


# ---- the exercises, unsolved ------------------------------------------------------------------

@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_exercise_is_stripped_and_leaks_no_solution(path):
    exercise = read(path)
    solution = read(ROOT / "solutions" / path.name)
    text = json.dumps([c.source for c in exercise.cells])
    assert make_exercises.BEGIN not in text and make_exercises.END not in text
    assert "raise NotImplementedError()" in text
    assert "widgets" not in exercise.metadata
    for cell in code_cells(exercise):
        assert cell.execution_count is None and cell.outputs == [] and "execution" not in cell.metadata
    # (the hints in markdown may quote a line on purpose; the code cells must not hold any)
    exercise_sources = "\n".join(c.source for c in code_cells(exercise))
    for cell in solution.cells:
        for region in make_exercises.solution_text(cell.source):
            for line in region.split("\n"):
                line = line.strip()
                if len(line) > 12 and not line.startswith("#"):
                    assert line not in exercise_sources, f"{path.name} leaks solution code: {line}"


@pytest.fixture(scope="module")
def executed_exercises():
    """Every exercise run top to bottom as a learner finds it, unsolved (one kernel each)."""
    from nbclient import NotebookClient
    results = {}
    for path in EXERCISES:
        nb = read(path)
        # raises CellExecutionError for an error in a cell not tagged raises-exception
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
        results[path.stem] = nb
    return results


@pytest.mark.parametrize("stem", STEMS)
def test_unsolved_exercise_fails_every_check(executed_exercises, stem):
    nb = executed_exercises[stem]
    check_cells = [c for c in nb.cells if is_check_cell(c)]
    assert check_cells
    for cell in check_cells:
        out = printed(cell)
        assert "not implemented yet" in out, f"{cell.source}: {out!r}"
        assert "✔" not in out
        assert not [o for o in cell.outputs if o.output_type == "error"], "a check cell must not raise"


@pytest.mark.parametrize("stem", STEMS)
def test_only_tagged_cells_fail_in_the_unsolved_exercise(executed_exercises, stem):
    for cell in code_cells(executed_exercises[stem]):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            assert make_exercises.RAISES in cell.metadata.get("tags", [])
            assert errors[0].ename == "NotImplementedError", f"{cell.source}: {errors[0].ename}"


# ---- the generator itself ------------------------------------------------------------------------

def test_blank_out_keeps_the_markers_indentation():
    source = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION"
    assert make_exercises.blank_out(source, make_exercises.CODE_STUB) == \
        "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert make_exercises.solution_text(source) == ["    return 2 * x"]


def test_unbalanced_markers_are_an_error():
    with pytest.raises(ValueError, match="without"):
        make_exercises.solution_regions("### BEGIN SOLUTION\nx = 1")


def test_cells_that_raise_follow_unfinished_tasks_and_values():
    cells = [
        (0, "import numpy as np"),
        (1, "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"),
        (2, "checks.check_f(f)"),                              # a check catches NotImplementedError
        (3, "print(f(1))"),                                    # calls the task
        (4, "def g(x):\n    return f(x) + 1"),                # defining a helper is fine ...
        (5, "y = g(2)"),                                       # ... calling it is not
        (6, "print(y)"),                                       # y was never assigned
        (7, "### BEGIN SOLUTION\nz = 3\n### END SOLUTION"),    # unfinished top-level code
        (8, "print(z + 1)"),
        (9, "print(np.pi)"),
        (10, "%matplotlib inline\nlist(map(f, [1]))"),         # handing the task to something else
    ]
    assert make_exercises.cells_that_raise(cells) == {3, 5, 6, 7, 8, 10}


# ---- nbgrader takes the solutions unchanged -----------------------------------------

@pytest.fixture(scope="module")
def nbgrader(tmp_path_factory):
    """nbgrader in a venv of its own (~20 s): installed beside the course it would add its
    JupyterLab extensions to the browser tests' JupyterLab."""
    import os
    import venv
    where = tmp_path_factory.mktemp("nbgrader")
    venv.create(where / "venv", with_pip=True)
    bin_dir = where / "venv" / "bin"
    installed = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
                                "--disable-pip-version-check", "nbgrader>=0.9,<0.10"],
                               capture_output=True, text=True, timeout=600)
    if installed.returncode != 0:
        pytest.skip("could not install nbgrader (offline?): " + installed.stderr.strip().splitlines()[-1])
    return dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def test_nbgrader_generates_the_same_exercises_from_the_solutions(nbgrader, tmp_path):
    """Instructors can put solutions/ into nbgrader as they are: `nbgrader generate_assignment`
    accepts every notebook and produces the learner's version that tools/make_exercises.py makes
    (the same cells, but for the title line, which names the folder)."""
    for solution, exercise in zip(SOLUTIONS, EXERCISES):
        source = tmp_path / "source" / solution.stem
        source.mkdir(parents=True)
        (source / solution.name).write_bytes(solution.read_bytes())
        generated = subprocess.run(["nbgrader", "generate_assignment", solution.stem, "--create", "--force"],
                                   cwd=tmp_path, env=nbgrader, capture_output=True, text=True, timeout=300)
        assert generated.returncode == 0, f"{solution.name}: " + generated.stdout[-2000:] + generated.stderr[-2000:]
        released = read(tmp_path / "release" / solution.stem / solution.name)
        ours = read(exercise)
        assert [c.cell_type for c in released.cells] == [c.cell_type for c in ours.cells], solution.name
        for index, (theirs, mine) in enumerate(zip(released.cells[1:], ours.cells[1:]), start=1):
            assert theirs.source == mine.source, f"{solution.name}, cell {index}"
