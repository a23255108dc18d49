"""Give every notebook the same header, Colab set-up cell and footer.

    python tools/nav.py            rewrite notebooks/, exercises/ and solutions/ in place
    python tools/nav.py --check    exit 1 (and list the files) if any is out of date

Run it after executing a notebook: it also removes the execution timestamps
that ``jupyter nbconvert --execute`` writes into each cell, so a re-run that
changes nothing leaves no diff.

The course map below is the one source of truth for titles and order; the
README's course map and the tests read it too. Generated cells carry the tags
``nav-header``, ``colab-setup`` and ``nav-footer``; do not edit them by hand.
"""

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
REPO = "bpkit-course/bpkit"          # GitHub owner/name, for the Binder and Colab badges
BRANCH = "main"

# (file stem, title, has an exercise notebook)
COURSE = [
    ("00_start_here", "Start here", False),
    ("01_single_neuron", "A single neuron", True),
    ("02_loss_and_gradient_descent", "Loss and gradient descent", True),
    ("03_chain_rule_one_neuron", "The chain rule, one neuron", True),
    ("04_training_one_neuron", "Training one neuron — and where it fails", True),
    ("05_hidden_layer_by_hand", "A hidden layer, by hand", True),
    ("06_mlp_solves_xor", "An MLP that solves XOR", True),
    ("07_when_training_goes_wrong", "When training goes wrong", True),
    ("08_beyond_xor", "Beyond XOR", False),
]
FOLDERS = {"notebooks": "Lesson", "exercises": "Exercises", "solutions": "Solutions"}
GENERATED_TAGS = ("nav-header", "colab-setup", "nav-footer")

COLAB_SETUP = f'''# Runs only on Google Colab: installs bpkit there and turns on Colab's widget support.
import sys
if "google.colab" in sys.modules:
    %pip install --quiet "bpkit[course] @ git+https://github.com/{REPO}@{BRANCH}"
    from google.colab import output
    output.enable_custom_widget_manager()'''


def lesson_number(stem):
    return int(stem.split("_", 1)[0])


def badges(folder, stem):
    path = f"{folder}/{stem}.ipynb"
    binder = f"https://mybinder.org/v2/gh/{REPO}/{BRANCH}?urlpath=lab/tree/{path}"
    colab = f"https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/{path}"
    return (f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder}) "
            f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab})")


def link(stem, title, folder_from="notebooks", folder_to="notebooks"):
    prefix = "" if folder_from == folder_to else f"../{folder_to}/"
    return f"[{lesson_number(stem):02d} · {title}]({prefix}{stem}.ipynb)"


def header(folder, index):
    stem, title, _ = COURSE[index]
    kind = FOLDERS[folder]
    parts = ["[bpkit course](../README.md)"]
    if folder == "notebooks":
        if index > 0:
            parts.append("← " + link(*COURSE[index - 1][:2]))
        if index + 1 < len(COURSE):
            parts.append(link(*COURSE[index + 1][:2]) + " →")
    else:
        parts.append("lesson: " + link(stem, title, folder, "notebooks"))
    return (f"# {lesson_number(stem):02d} · {title}" + ("" if kind == "Lesson" else f" — {kind.lower()}") + "\n\n"
            + " · ".join(parts) + "\n\n" + badges(folder, stem))


def footer(folder, index):
    stem, title, has_exercise = COURSE[index]
    lines = ["---"]
    if folder == "notebooks":
        if has_exercise:
            lines.append(f"**Practise it:** [exercises/{stem}.ipynb](../exercises/{stem}.ipynb) "
                         f"(solutions in [solutions/{stem}.ipynb](../solutions/{stem}.ipynb))")
        if index + 1 < len(COURSE):
            lines.append("**Next:** " + link(*COURSE[index + 1][:2]) + " →")
        else:
            lines.append("**You have finished the course.** Back to the [course map](../README.md#course-map).")
    else:
        lines.append("**Back to the lesson:** " + link(stem, title, folder, "notebooks"))
        if index + 1 < len(COURSE):
            lines.append("**Next lesson:** " + link(*COURSE[index + 1][:2], folder, "notebooks") + " →")
    return "\n\n".join(lines)


def generated_cells(folder, index):
    head = nbformat.v4.new_markdown_cell(header(folder, index))
    head.metadata["tags"] = ["nav-header"]
    head.id = "nav-header"
    setup = nbformat.v4.new_code_cell(COLAB_SETUP)
    setup.metadata["tags"] = ["colab-setup"]
    setup.id = "colab-setup"
    foot = nbformat.v4.new_markdown_cell(footer(folder, index))
    foot.metadata["tags"] = ["nav-footer"]
    foot.id = "nav-footer"
    return head, setup, foot


def with_navigation(nb, folder, index):
    """The notebook with fresh generated cells (old ones dropped, outputs of the
    set-up cell kept so that an executed notebook stays executed), and without
    the timestamps that executing a notebook writes into every cell's metadata."""
    old_setup = next((c for c in nb.cells if "colab-setup" in c.metadata.get("tags", [])), None)
    body = [c for c in nb.cells if not set(c.metadata.get("tags", [])) & set(GENERATED_TAGS)]
    for cell in body:
        cell.metadata.pop("execution", None)
    head, setup, foot = generated_cells(folder, index)
    if old_setup is not None and old_setup.source == setup.source:
        setup.execution_count = old_setup.get("execution_count")
        setup.outputs = old_setup.get("outputs", [])
    nb.cells = [head, setup] + body + [foot]
    return nb


def course_files():
    """(folder, index, path) for every notebook of the course that exists."""
    for folder in FOLDERS:
        for index, (stem, _, has_exercise) in enumerate(COURSE):
            if folder != "notebooks" and not has_exercise:
                continue
            path = ROOT / folder / f"{stem}.ipynb"
            if path.exists():
                yield folder, index, path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of date")
    args = parser.parse_args(argv)
    stale = []
    for folder, index, path in course_files():
        text = path.read_text(encoding="utf-8")
        nb = with_navigation(nbformat.reads(text, as_version=4), folder, index)
        new_text = nbformat.writes(nb) + "\n"
        if new_text != text:
            stale.append(path.relative_to(ROOT))
            if not args.check:
                path.write_text(new_text, encoding="utf-8")
    if args.check and stale:
        print("Navigation out of date (run python tools/nav.py):", *stale, sep="\n  ")
        return 1
    if not args.check:
        print(f"updated {len(stale)} notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
