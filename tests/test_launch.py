"""Opening the course anywhere: Colab's set-up cell, the Binder and Colab
badges, what Binder builds, a fresh install on the oldest supported Python,
and nbgitpuller updates on a JupyterHub.

Tests that need a tool this machine may lack (repo2docker, nbgitpuller,
git, Python 3.10) skip with a one-line reason; requirements-ci.txt installs
the Python ones. The fresh-venv test is the slow one (~40 s: a venv, then
``pip install -r requirements.txt``).
"""
import ast
import glob
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nav  # noqa: E402

# What every lesson imports (STYLE/BRIEF); the scan of the notebooks below adds the rest.
NOTEBOOK_IMPORTS = {"bpkit": [], "bpkit.plots": [], "bpkit.widgets": [], "bpkit.doctor": [], "numpy": [],
                    "matplotlib": [], "matplotlib.pyplot": [], "ipywidgets": [], "ipympl": [],
                    "IPython": [], "IPython.display": []}
COLAB_ONLY = ("google",)


def course_notebooks():
    return sorted(p for folder in nav.FOLDERS for p in (ROOT / folder).glob("*.ipynb"))


# ---- Colab ------------------------------------------------------------------

COLAB_CELL_RUNNER = r'''
import contextlib, io, json, sys, time, types
from IPython.core.interactiveshell import InteractiveShell

source = sys.stdin.read()
shell = InteractiveShell.instance()
installs = []
shell.register_magic_function(installs.append, "line", "pip")     # record %pip, never install
if sys.argv[1] == "colab":                                         # a stand-in for google.colab
    enabled = []
    google, colab = types.ModuleType("google"), types.ModuleType("google.colab")
    colab.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: enabled.append(True))
    google.colab = colab
    sys.modules.update({"google": google, "google.colab": colab})
names_before, modules_before = set(shell.user_ns), set(sys.modules)
printed = io.StringIO()
start = time.perf_counter()
with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
    result = shell.run_cell(source, store_history=True)
seconds = time.perf_counter() - start
print(json.dumps({
    "ok": result.success, "seconds": seconds, "printed": printed.getvalue(),
    "installs": installs, "widget_manager_enabled": sys.argv[1] == "colab" and enabled == [True],
    "new_names": sorted(n for n in set(shell.user_ns) - names_before if not n.startswith("_")),
    "new_modules": sorted(set(sys.modules) - modules_before),
}))
'''


def run_colab_cell(where):
    """Run the generated Colab set-up cell in a fresh IPython; ``where`` is "colab" or "elsewhere"."""
    source = nav.generated_cells("notebooks", 0)[1].source
    result = subprocess.run([sys.executable, "-c", COLAB_CELL_RUNNER, where], input=source,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_colab_cell_is_a_noop_elsewhere():
    ran = run_colab_cell("elsewhere")
    assert ran["ok"]
    assert ran["printed"] == ""
    assert ran["installs"] == []                       # no %pip install off Colab
    assert ran["new_names"] == ["sys"]                 # the cell's only trace: `import sys`
    assert not [m for m in ran["new_modules"] if m.split(".")[0] in ("google", "pip", "bpkit")]
    assert ran["seconds"] < 0.5, f"the set-up cell took {ran['seconds']:.3f} s off Colab"


def test_colab_cell_installs_bpkit_and_enables_widgets_on_colab():
    from packaging.requirements import Requirement
    ran = run_colab_cell("colab")
    assert ran["ok"], ran["printed"]
    assert len(ran["installs"]) == 1 and ran["widget_manager_enabled"]
    command, *options, spec = shlex.split(ran["installs"][0])           # %pip install --quiet "<spec>"
    assert command == "install" and options == ["--quiet"]
    requirement = Requirement(spec)
    assert requirement.name == "bpkit" and requirement.extras == {"course"}
    assert requirement.url == f"git+https://github.com/{nav.REPO}@{nav.BRANCH}"
    # the "course" extra brings what Colab lacks for the widgets
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    course_extra = re.search(r"^course\s*=\s*\[(.*)\]", pyproject, re.MULTILINE).group(1)
    for package in ("matplotlib", "ipywidgets", "ipympl"):
        assert f'"{package}' in course_extra


def test_every_notebook_stores_the_current_colab_cell():
    expected = nav.generated_cells("notebooks", 0)[1].source
    for path in course_notebooks():
        setup = [c for c in nbformat.read(path, as_version=4).cells if "colab-setup" in c.metadata.get("tags", [])]
        assert [c.source for c in setup] == [expected], f"{path.relative_to(ROOT)}: stale or missing Colab cell"


# ---- badges -------------------------------------------------------------------

def badge_links(markdown):
    """{badge alt text: link} for image links like [![alt](img)](link)."""
    return dict(re.findall(r"\[!\[([^\]]+)\]\([^)]+\)\]\(([^)]+)\)", markdown))


def assert_binder_link(url, notebook):
    """A mybinder link that opens ``notebook`` (path in the repo) in JupyterLab."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "mybinder.org"), url
    assert parts.path == f"/v2/gh/{nav.REPO}/{nav.BRANCH}", url
    assert parse_qs(parts.query) == {"urlpath": [f"lab/tree/{notebook}"]}, url
    assert (ROOT / notebook).exists() or notebook.startswith(tuple(nav.FOLDERS)), url


def assert_colab_link(url, notebook):
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "colab.research.google.com"), url
    assert parts.path == f"/github/{nav.REPO}/blob/{nav.BRANCH}/{notebook}", url


def test_repo_constant_names_a_github_repository():
    assert re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", nav.REPO), nav.REPO


def test_every_notebook_header_badges_open_that_notebook():
    paths = course_notebooks()
    if not paths:
        pytest.skip("no course notebooks yet")
    for path in paths:
        notebook = path.relative_to(ROOT).as_posix()           # where the file really is
        header = nbformat.read(path, as_version=4).cells[0]
        links = badge_links(header.source)
        assert set(links) == {"Launch on Binder", "Open in Colab"}, f"{notebook}: {links}"
        assert_binder_link(links["Launch on Binder"], notebook)
        assert_colab_link(links["Open in Colab"], notebook)


def test_generated_headers_badge_their_own_notebook():
    """Also for notebooks not written yet: the header nav.py would give them."""
    for folder in nav.FOLDERS:
        for index, (stem, _, has_exercise) in enumerate(nav.COURSE):
            if folder != "notebooks" and not has_exercise:
                continue
            links = badge_links(nav.header(folder, index))
            assert_binder_link(links["Launch on Binder"], f"{folder}/{stem}.ipynb")
            assert_colab_link(links["Open in Colab"], f"{folder}/{stem}.ipynb")


def test_readme_badges_open_the_start_notebook():
    links = badge_links((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "Launch on Binder" in links, "README.md lacks the Binder badge (see CONTRIBUTING.md)"
    assert_binder_link(links["Launch on Binder"], "notebooks/00_start_here.ipynb")
    assert_colab_link(links["Open in Colab"], "notebooks/00_start_here.ipynb")


# ---- Binder: what repo2docker would build ---------------------------------------

def test_binder_installs_requirements_and_package_on_the_intended_python():
    if importlib.util.find_spec("repo2docker") is None:
        pytest.skip("repo2docker is not installed (pip install -r requirements-ci.txt)")
    runtime = (ROOT / "runtime.txt").read_text().strip()
    python = re.fullmatch(r"python-(3\.\d+)", runtime).group(1)
    start = time.perf_counter()
    # --no-build: print the Dockerfile instead of building it (no Docker needed)
    result = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert time.perf_counter() - start < 60
    dockerfile, log = result.stdout, result.stderr
    assert f"python={python}" in log, log                       # the Python of runtime.txt
    requires = re.search(r'requires-python\s*=\s*">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    assert tuple(map(int, python.split("."))) >= tuple(map(int, requires.split(".")))
    pip = re.escape("${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir")
    install_requirements = re.search(rf'^RUN {pip} -r "requirements\.txt"$', dockerfile, re.MULTILINE)
    install_package = re.search(rf"^RUN {pip} \.$", dockerfile, re.MULTILINE)
    copy_repo = re.search(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", dockerfile, re.MULTILINE)
    assert install_requirements and install_package and copy_repo, dockerfile
    assert copy_repo.start() < install_requirements.start() < install_package.start()


def test_a_regular_install_contains_every_module_of_bpkit(tmp_path):
    """Binder (`pip install .`) and Colab (`pip install git+...`) install bpkit as a
    regular package, not from the checkout: every module must be in it."""
    source = tmp_path / "source"                      # build from a copy: no build/ left in the repo
    shutil.copytree(ROOT / "bpkit", source / "bpkit", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, source / name)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"),
                            str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    import zipfile
    (wheel,) = (tmp_path / "dist").glob("bpkit-*.whl")
    in_wheel = {name for name in zipfile.ZipFile(wheel).namelist() if name.endswith(".py")}
    in_source = {p.relative_to(source).as_posix() for p in (source / "bpkit").rglob("*.py")}
    assert sorted(in_source - in_wheel) == [], "modules a regular install of bpkit would lack"


# ---- a fresh install on the oldest supported Python -------------------------------

def oldest_supported_python():
    """(version, executable) of the oldest Python pyproject.toml allows, if this machine has it."""
    version = re.search(r'requires-python\s*=\s*">=(3\.\d+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}*/bin/python{version}")))
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return version, candidate
    return version, None


def imports_in(source):
    """{module: [names]} imported by one cell's code (magics turned into Python first)."""
    from IPython.core.inputtransformer2 import TransformerManager
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return {}
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, [])
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.setdefault(node.module, []).extend(a.name for a in node.names if a.name != "*")
    return found


def notebook_imports():
    """Everything the committed notebooks import, plus the lessons' standard imports."""
    wanted = {module: list(names) for module, names in NOTEBOOK_IMPORTS.items()}
    for path in course_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for module, names in imports_in(cell.source).items():
                    if not module.startswith(COLAB_ONLY):
                        wanted.setdefault(module, []).extend(n for n in names if n not in wanted[module])
    return wanted


IMPORT_CHECKER = r'''
import importlib, json, sys
failures = []
for module, names in json.loads(sys.stdin.read()).items():
    try:
        imported = importlib.import_module(module)
    except Exception as error:
        failures.append(f"import {module}: {error!r}")
        continue
    for name in names:
        if not hasattr(imported, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except Exception as error:
                failures.append(f"from {module} import {name}: {error!r}")
print(json.dumps(failures))
'''


def test_fresh_venv_on_the_oldest_python_installs_and_imports_everything(tmp_path):
    """Slow (~40 s): python3.10 -m venv; pip install -r requirements.txt; import what the notebooks import;
    the doctor is all green; without ipympl it says how to fix it."""
    version, python = oldest_supported_python()
    if python is None:
        pytest.skip(f"python{version} (the oldest supported Python) is not on this machine")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=120)
    venv_python = str(venv / "bin" / "python")
    env = dict(os.environ, PATH=str(venv / "bin") + os.pathsep + os.environ["PATH"], VIRTUAL_ENV=str(venv),
               PYTHONIOENCODING="utf-8", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("PYTHONPATH", None)
    env.pop("JPY_PARENT_PID", None)
    # exactly the README's command, from the repository root (requirements.txt says `-e .`)
    install = subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]

    wanted = notebook_imports()
    checked = subprocess.run([venv_python, "-c", IMPORT_CHECKER], input=json.dumps(wanted), cwd=ROOT / "notebooks",
                             env=env, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == [], f"on Python {version}"

    doctor = [venv_python, "-m", "bpkit.doctor"]
    healthy = subprocess.run(doctor, cwd=ROOT / "notebooks", env=env, capture_output=True, text=True, timeout=120)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert f"✔ Python {version}." in healthy.stdout

    subprocess.run([venv_python, "-m", "pip", "uninstall", "--yes", "--quiet", "ipympl"], env=env, check=True,
                   capture_output=True, timeout=120)
    broken = subprocess.run(doctor, cwd=ROOT / "notebooks", env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1, broken.stdout
    failed = [line for line in broken.stdout.splitlines() if line.startswith("✘")]
    assert failed == [
        '✘ ipympl is not installed — pip install "ipympl>=0.9"',
        "✘ the ipympl front end (jupyter-matplotlib) is not installed in JupyterLab: widgets would not display"
        ' — pip install "ipympl>=0.9", then restart JupyterLab and reload the page',
    ], broken.stdout


# ---- The README's "open the course" command ---------------------------------------

def readme_open_command():
    """The `jupyter lab ...` part of the README's first command, as a list of arguments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"pip install -r requirements.txt && (jupyter lab[^\n`]*)", readme).group(1)
    return shlex.split(line)


def test_readme_command_opens_the_start_notebook_with_the_whole_course_in_view(tmp_path):
    """`jupyter lab notebooks/x.ipynb` alone would serve only notebooks/: the links to
    ../exercises and ../README.md would lead nowhere. Start the README's command and ask the
    server what it serves."""
    import socket
    import urllib.request
    command = readme_open_command()
    assert command[:2] == ["jupyter", "lab"] and "notebooks/00_start_here.ipynb" in command
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "readme-test"
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or "jupyter"
    server = subprocess.Popen([jupyter, *command[1:], "--no-browser", "--allow-root", "--ip", "127.0.0.1",
                               f"--port={port}", f"--IdentityProvider.token={token}"],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        def get(path):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}?token={token}", timeout=10) as response:
                return json.load(response)
        deadline = time.time() + 90
        while True:
            try:
                top = get("/api/contents/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.time() < deadline, "JupyterLab did not answer within 90 s"
                time.sleep(0.5)
        names = {item["name"] for item in top["content"]}
        assert {"notebooks", "exercises", "solutions", "README.md"} <= names, names
        assert get("/api/contents/notebooks/00_start_here.ipynb")["type"] == "notebook"
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---- JupyterHub: nbgitpuller keeps a learner's work --------------------------------

def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def write_notebook(path, *cells):
    """A small notebook: markdown for str, code for ("code", source)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c[1]) if isinstance(c, tuple) else nbformat.v4.new_markdown_cell(c)
                for c in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def sources(path):
    return [cell.source for cell in nbformat.read(path, as_version=4).cells]


@pytest.fixture
def upstream(tmp_path, monkeypatch):
    """A course repository, as the instructor publishes it (isolated from any git config)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if importlib.util.find_spec("nbgitpuller") is None:
        pytest.skip("nbgitpuller is not installed (pip install -r requirements-ci.txt)")
    for key, value in {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                       "GIT_AUTHOR_NAME": "Instructor", "GIT_AUTHOR_EMAIL": "instructor@example.org",
                       "GIT_COMMITTER_NAME": "Instructor", "GIT_COMMITTER_EMAIL": "instructor@example.org"}.items():
        monkeypatch.setenv(key, value)
    repo = tmp_path / "upstream"
    repo.mkdir()
    git("init", "--quiet", "--initial-branch=main", cwd=repo)
    (repo / "README.md").write_text("# bpkit course\n")
    write_notebook(repo / "notebooks" / "01_single_neuron.ipynb", "# A single neuron", ("code", "import bpkit"))
    write_notebook(repo / "exercises" / "01_single_neuron.ipynb", "## Exercise 1: the weighted sum",
                   ("code", "def weighted_sum(x, w, b):\n    raise NotImplementedError()"),
                   "## Exercise 2: the sigmoid",
                   ("code", "def sigmoid(z):\n    raise NotImplementedError()"))
    git("add", "-A", cwd=repo)
    git("commit", "--quiet", "-m", "Course, first day", cwd=repo)
    return repo


def pull(upstream, learner):
    """What an nbgitpuller link does when a learner clicks it."""
    from nbgitpuller.pull import GitPuller
    return list(GitPuller(f"file://{upstream}", str(learner), branch="main").pull())


def learner_solves_exercise_1(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells[1].source = "def weighted_sum(x, w, b):\n    return x @ w + b   # my answer"
    nbformat.write(nb, path)
    return nb.cells[1].source


def test_nbgitpuller_keeps_the_learners_edit_and_brings_new_notebooks(upstream, tmp_path):
    learner = tmp_path / "home" / "bpkit"
    pull(upstream, learner)                                              # first click: a clone
    exercise = learner / "exercises" / "01_single_neuron.ipynb"
    answer = learner_solves_exercise_1(exercise)
    write_notebook(learner / "my_notes.ipynb", "my own notes")          # a file of the learner's own

    # the instructor fixes the lesson, adds the next one, edits the README
    write_notebook(upstream / "notebooks" / "01_single_neuron.ipynb", "# A single neuron (fixed typo)",
                   ("code", "import bpkit"))
    write_notebook(upstream / "notebooks" / "02_loss_and_gradient_descent.ipynb", "# Loss and gradient descent")
    (upstream / "README.md").write_text("# bpkit course\n\nDay two is out.\n")
    git("add", "-A", cwd=upstream)
    git("commit", "--quiet", "-m", "Day two", cwd=upstream)

    log = pull(upstream, learner)                                        # second click: an update
    assert any("merge" in line for line in log), log
    assert sources(exercise)[1] == answer                                # the learner's work survives
    assert sources(learner / "notebooks" / "01_single_neuron.ipynb")[0] == "# A single neuron (fixed typo)"
    assert sources(learner / "notebooks" / "02_loss_and_gradient_descent.ipynb") == ["# Loss and gradient descent"]
    assert (learner / "README.md").read_text() == "# bpkit course\n\nDay two is out.\n"
    assert sources(learner / "my_notes.ipynb") == ["my own notes"]


def test_nbgitpuller_when_upstream_changes_the_notebook_the_learner_edited(upstream, tmp_path):
    """An instructor fixes exercise 2's hint in the very notebook a learner has
    worked in: the learner's answer stays, the fix arrives, the notebook stays valid."""
    learner = tmp_path / "home" / "bpkit"
    pull(upstream, learner)
    exercise = learner / "exercises" / "01_single_neuron.ipynb"
    answer = learner_solves_exercise_1(exercise)

    nb = nbformat.read(upstream / "exercises" / "01_single_neuron.ipynb", as_version=4)
    nb.cells[2].source = "## Exercise 2: the sigmoid, σ(z) = 1 / (1 + e^(−z))"
    nbformat.write(nb, upstream / "exercises" / "01_single_neuron.ipynb")
    git("commit", "--quiet", "-am", "Clearer hint", cwd=upstream)

    pull(upstream, learner)
    merged = nbformat.read(exercise, as_version=4)
    nbformat.validate(merged)
    assert merged.cells[1].source == answer
    assert merged.cells[2].source == "## Exercise 2: the sigmoid, σ(z) = 1 / (1 + e^(−z))"


def test_nbgitpuller_when_upstream_and_learner_change_the_same_cell(upstream, tmp_path):
    """A real conflict (both changed exercise 1's cell): the learner's version wins."""
    learner = tmp_path / "home" / "bpkit"
    pull(upstream, learner)
    exercise = learner / "exercises" / "01_single_neuron.ipynb"
    answer = learner_solves_exercise_1(exercise)

    nb = nbformat.read(upstream / "exercises" / "01_single_neuron.ipynb", as_version=4)
    nb.cells[1].source = "def weighted_sum(x, w, b):\n    # x: (n, 2), w: (2,), b: a number\n    raise NotImplementedError()"
    nbformat.write(nb, upstream / "exercises" / "01_single_neuron.ipynb")
    git("commit", "--quiet", "-am", "Starter code with shapes", cwd=upstream)

    pull(upstream, learner)
    assert "Starter code with shapes" in git("log", "--format=%s", cwd=learner)   # the update did arrive
    merged = nbformat.read(exercise, as_version=4)
    nbformat.validate(merged)
    assert merged.cells[1].source == answer
