"""The course's chrome: every notebook exists, has its generated navigation,
the headings a learner relies on, and the README's map lists them all."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nav  # noqa: E402

LESSONS = [ROOT / "notebooks" / f"{stem}.ipynb" for stem, _, _ in nav.COURSE]


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def text(cell):
    return "".join(cell["source"])


def test_every_lesson_exists():
    missing = [p.name for p in LESSONS if not p.exists()]
    assert not missing, f"lessons listed in tools/nav.py COURSE but missing: {missing}"


def test_navigation_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "nav.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_header_goal_takeaway_and_footer(path):
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    nb_cells = cells(path)
    tags = [c.get("metadata", {}).get("tags", []) for c in nb_cells]
    assert "nav-header" in tags[0] and "colab-setup" in tags[1] and "nav-footer" in tags[-1]
    markdown = [text(c) for c in nb_cells if c["cell_type"] == "markdown"]
    body = "\n".join(markdown)
    for heading in ("## What you will learn", "## What you need to know", "## What to take away"):
        assert heading in body, f"{path.name} lacks the heading {heading!r}"
    # the goal comes first, the take-away last
    assert "## What you will learn" in markdown[1]
    assert "## What to take away" in markdown[-2]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_committed_executed(path):
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    code = [c for c in cells(path) if c["cell_type"] == "code" and text(c).strip()]
    counts = [c["execution_count"] for c in code]
    assert None not in counts, f"{path.name} has unexecuted code cells"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name} was not run top to bottom in one go"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert not errors, f"{path.name} stores an error output"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_imports_bpkit(path):
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    assert any("import bpkit" in text(c) for c in cells(path) if c["cell_type"] == "code")


def test_readme_course_map_lists_every_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    course_map = readme.split("## Course map", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"notebooks/(\d\d_[a-z_]+)\.ipynb", course_map)
    assert listed == [stem for stem, _, _ in nav.COURSE]


def test_generated_links_point_at_files_that_exist():
    for folder, index, path in nav.course_files():
        for cell in cells(path):
            for target in re.findall(r"\]\(((?:\.\./)?[\w/]+\.ipynb)\)", text(cell)):
                resolved = (path.parent / target).resolve()
                assert resolved.exists(), f"{path.name} links to missing {target}"


def test_readme_links_point_at_files_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = [t for t in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme) if "://" not in t]
    assert len(targets) > 20, "expected the course map and the guides to be linked"
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert missing == [], f"README.md links to missing files: {missing}"
