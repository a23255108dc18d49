"""The setup doctor: all green on a healthy machine, and on a broken one the
right ✘ line with the command that fixes it, and a non-zero exit code."""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import bpkit
from bpkit import doctor

ROOT = Path(__file__).resolve().parent.parent


def run_doctor(cwd, extra_env=None):
    """``python -m bpkit.doctor`` in a subprocess, as if this environment were activated."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("JPY_PARENT_PID", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "bpkit.doctor"], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def by_start(checks, text):
    """The one check whose description starts with ``text``."""
    found = [c for c in checks if c.found.startswith(text)]
    assert len(found) == 1, f"expected one check starting {text!r}, got {[c.found for c in checks]}"
    return found[0]


@pytest.fixture
def versions(monkeypatch):
    """Pretend-installed versions: edit the dict, then call doctor.check_all()."""
    real = {name: doctor.installed_version(name) for name in doctor.PACKAGES}
    monkeypatch.setattr(doctor, "installed_version", lambda name: real.get(name))
    return real


@pytest.fixture
def lab_extensions(monkeypatch, tmp_path):
    """A throwaway labextensions folder; ``add(name, version)`` installs a fake extension there."""
    monkeypatch.setattr(doctor, "labextension_dirs", lambda prefix=None: [str(tmp_path)])
    monkeypatch.setattr(doctor, "disabled_labextensions", lambda: set())

    def add(name, version):
        folder = tmp_path / name
        folder.mkdir(parents=True)
        (folder / "package.json").write_text(json.dumps({"name": name, "version": version}))
    return add


# ---- a healthy environment ------------------------------------------------------

def test_healthy_environment_passes():
    result = run_doctor(cwd=ROOT / "notebooks")
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert all(line.startswith("✔ ") for line in lines[:-1]), result.stdout
    assert lines[-1].startswith(f"All {len(lines) - 1} checks passed")
    for name in ["Python", "numpy", "matplotlib", "ipywidgets", "ipympl", "jupyterlab",
                 "the ipywidgets front end", "the ipympl front end"]:
        assert any(line.startswith(f"✔ {name} ") for line in lines), f"no check for {name}:\n{result.stdout}"
    assert f"✔ bpkit {bpkit.__version__} from this course folder ({ROOT / 'bpkit'})" in lines


def test_doctor_agrees_with_requirements_txt():
    """The doctor demands exactly what requirements.txt installs."""
    wanted = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*([<>=!,.0-9\s]+)$", line.strip())
        if match:
            wanted[match.group(1).lower()] = match.group(2).replace(" ", "")
    assert {name: wanted[name] for name in doctor.PACKAGES} == doctor.PACKAGES


def test_doctor_loads_no_plotting_or_widgets():
    code = ("import sys; from bpkit import doctor; doctor.check_all(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'ipympl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- broken environments ------------------------------------------------------------

HIDE_PACKAGES = '''
"""Test helper: make packages look uninstalled (no metadata, no import)."""
import importlib.machinery

HIDDEN = {hidden!r}
_find_distributions = importlib.machinery.PathFinder.find_distributions


def find_distributions(*args, **kwargs):
    for dist in _find_distributions(*args, **kwargs):
        if dist.metadata["Name"].lower().replace("_", "-") not in HIDDEN:
            yield dist


class Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None


importlib.machinery.PathFinder.find_distributions = find_distributions
import sys
sys.meta_path.insert(0, Hide())
'''


def test_missing_ipympl_gives_the_fix_and_exit_code_1(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(HIDE_PACKAGES.format(hidden={"ipympl"}))
    result = run_doctor(cwd=ROOT / "notebooks", extra_env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line for line in result.stdout.splitlines() if line.startswith("✘")]
    assert failed == ['✘ ipympl is not installed — pip install "ipympl>=0.9"'], result.stdout
    assert "1 of 10 checks failed" in result.stdout


def test_old_numpy_gives_an_upgrade_command(versions, capsys):
    versions["numpy"] = "1.24.4"
    check = by_start(doctor.check_all(), "numpy")
    assert not check.ok
    assert check.found == "numpy 1.24.4 is too old (the course needs numpy>=1.26)"
    assert check.fix.endswith('pip install --upgrade "numpy>=1.26"')
    assert doctor.main() == 1
    assert '✘ numpy 1.24.4 is too old (the course needs numpy>=1.26) — ' in capsys.readouterr().out


@pytest.mark.parametrize("name, version, problem", [
    ("ipywidgets", "7.7.1", "too old"),
    ("ipywidgets", "9.0.0", "too new"),
    ("jupyterlab", "3.6.7", "too old"),
    ("jupyterlab", "5.0.0a1", "too new"),
    ("matplotlib", "3.5.3", "too old"),
])
def test_versions_outside_the_requirements_are_caught(versions, name, version, problem):
    versions[name] = version
    check = by_start(doctor.check_all(), name)
    assert not check.ok and f"{name} {version} is {problem}" in check.found
    assert f'"{name}{doctor.PACKAGES[name]}"' in check.fix


def test_versions_inside_the_requirements_pass(versions):
    versions.update(numpy="1.26.0", ipywidgets="8.0.0", jupyterlab="4.0.0", ipympl="0.9.0")
    checks = doctor.check_all()
    for name in ("numpy", "ipywidgets", "jupyterlab", "ipympl"):
        assert by_start(checks, name).ok


def test_missing_ipympl_front_end(lab_extensions):
    lab_extensions("@jupyter-widgets/jupyterlab-manager", "5.0.16")
    checks = doctor.check_all()
    assert by_start(checks, "the ipywidgets front end").ok
    check = by_start(checks, "the ipympl front end")
    assert not check.ok
    assert check.found == ("the ipympl front end (jupyter-matplotlib) is not installed in JupyterLab: "
                           "widgets would not display")
    assert check.fix.endswith('pip install "ipympl>=0.9", then restart JupyterLab and reload the page')


def test_missing_widgets_front_end(lab_extensions):
    lab_extensions("jupyter-matplotlib", "0.12.0")
    check = by_start(doctor.check_all(), "the ipywidgets front end")
    assert not check.ok and 'pip install "jupyterlab_widgets>=3,<4"' in check.fix


def test_front_end_for_ipywidgets_7_is_caught(lab_extensions):
    lab_extensions("@jupyter-widgets/jupyterlab-manager", "3.1.1")     # the one ipywidgets 7 uses
    lab_extensions("jupyter-matplotlib", "0.12.0")
    check = by_start(doctor.check_all(), "the ipywidgets front end")
    assert not check.ok and "3.1.1" in check.found
    assert 'pip install --upgrade "jupyterlab_widgets>=3,<4"' in check.fix


def test_disabled_front_end(lab_extensions, monkeypatch):
    lab_extensions("@jupyter-widgets/jupyterlab-manager", "5.0.16")
    lab_extensions("jupyter-matplotlib", "0.12.0")
    monkeypatch.setattr(doctor, "disabled_labextensions", lambda: {"jupyter-matplotlib"})
    check = by_start(doctor.check_all(), "the ipympl front end")
    assert not check.ok
    assert check.fix == "jupyter labextension enable jupyter-matplotlib, then restart JupyterLab"


def test_python_version():
    assert doctor.check_python((3, 10, 0), "/x/python").ok
    old = doctor.check_python((3, 9, 18), "/x/python")
    assert not old.ok and old.found.startswith("Python 3.9.18 is too old")
    assert "venv" in old.fix


# ---- where bpkit comes from --------------------------------------------------

def copy_of_course(tmp_path):
    """A course folder with a copy of this bpkit/ in it."""
    shutil.copytree(ROOT / "bpkit", tmp_path / "bpkit", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "notebooks").mkdir()
    return tmp_path


def test_bpkit_from_this_course_folder():
    check = doctor.check_bpkit(ROOT / "bpkit", "0.1.0", ROOT / "notebooks")
    assert check.ok and check.found == f"bpkit 0.1.0 from this course folder ({ROOT / 'bpkit'})"


def test_bpkit_installed_copy_identical_to_the_course_folder(tmp_path):
    course = copy_of_course(tmp_path)
    check = doctor.check_bpkit(ROOT / "bpkit", "0.1.0", course / "notebooks")
    assert check.ok and "an installed copy identical to" in check.found


def test_bpkit_from_elsewhere_differing_from_the_course_folder(tmp_path):
    course = copy_of_course(tmp_path)
    with open(course / "bpkit" / "network.py", "a") as f:
        f.write("\n# a learner's edit\n")
    check = doctor.check_bpkit(ROOT / "bpkit", "0.1.0", course / "notebooks")
    assert not check.ok
    assert check.found.startswith(f"import bpkit finds {ROOT / 'bpkit'}, not this course's")
    assert f'pip install -e "{course}"' in check.fix


def test_bpkit_with_no_course_folder_around(tmp_path):
    check = doctor.check_bpkit(ROOT / "bpkit", "0.1.0", tmp_path)
    assert check.ok and "no course folder at or above" in check.found


# ---- which Python, which Jupyter ----------------------------------------------

def test_fix_commands_in_a_notebook_use_percent_pip(monkeypatch):
    monkeypatch.setattr(doctor, "in_kernel", lambda: True)
    fix = doctor.check_package("ipympl", ">=0.9", None).fix
    assert fix == '%pip install "ipympl>=0.9", then restart the kernel'


def test_fix_commands_for_another_jupyter_environment_name_its_python(tmp_path):
    fix = doctor.check_package("jupyterlab", ">=4.0,<5", None, prefix=str(tmp_path)).fix
    assert fix == f'"{doctor.python_in(tmp_path)}" -m pip install "jupyterlab>=4.0,<5", then restart JupyterLab'


def test_jupyter_lab_from_another_environment_is_caught():
    other = doctor.check_jupyter_command("/course/.venv/bin/python", which=lambda _: "/usr/bin/jupyter-lab")
    assert not other.ok and '"/course/.venv/bin/python" -m jupyterlab' in other.fix
    same = doctor.check_jupyter_command("/course/.venv/bin/python",
                                        which=lambda _: "/course/.venv/bin/jupyter-lab")
    assert same.ok


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux only)")
def test_finds_the_environment_of_the_jupyter_server_that_started_the_kernel(monkeypatch, tmp_path):
    # a stand-in server: <env>/bin/jupyter-lab, run by Python, as its shebang line would
    script = tmp_path / "env" / "bin" / "jupyter-lab"
    script.parent.mkdir(parents=True)
    script.write_text("import time\ntime.sleep(30)\n")
    server = subprocess.Popen([sys.executable, str(script)])
    try:
        for _ in range(200):                                     # until it has exec'd
            if str(script).encode() in Path(f"/proc/{server.pid}/cmdline").read_bytes():
                break
            time.sleep(0.01)
        monkeypatch.setenv("JPY_PARENT_PID", str(server.pid))
        assert doctor.jupyter_server_prefix() == str(tmp_path / "env")
    finally:
        server.kill()
        server.wait()
    monkeypatch.setenv("JPY_PARENT_PID", str(os.getpid()))      # pytest: not a Jupyter server
    assert doctor.jupyter_server_prefix() is None
    monkeypatch.delenv("JPY_PARENT_PID")                          # not in a kernel at all
    assert doctor.jupyter_server_prefix() is None


def test_labextensions_are_looked_for_in_the_servers_environment(tmp_path):
    dirs = doctor.labextension_dirs(prefix=str(tmp_path))
    assert dirs[0] == str(tmp_path / "share" / "jupyter" / "labextensions")
    here = Path(sys.prefix).resolve()
    assert not [d for d in dirs if here in Path(d).resolve().parents]     # not this kernel's environment


def test_on_colab_jupyterlab_is_not_checked(monkeypatch):
    monkeypatch.setattr(doctor, "on_colab", lambda: True)
    found = [c.found for c in doctor.check_all()]
    assert "Google Colab: JupyterLab and its extensions are not needed here" in found
    assert not any(f.startswith(("jupyterlab", "the ipywidgets front end")) for f in found)


# ---- output --------------------------------------------------------------------

def test_report_without_unicode_falls_back_to_plain_marks(monkeypatch):
    import io
    stream = io.TextIOWrapper(io.BytesIO(), encoding="cp437")
    checks = [doctor.Check(True, "numpy 2.4.6"), doctor.Check(False, "ipympl is not installed", "pip install x")]
    doctor.print_report(checks, stream)
    stream.flush()
    text = stream.buffer.getvalue().decode("cp437")
    assert text.splitlines()[:2] == ["OK numpy 2.4.6", "XX ipympl is not installed -- pip install x"]


def test_run_prints_one_line_per_check(capsys):
    assert doctor.run(start=ROOT / "notebooks") is None
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(doctor.check_all(ROOT / "notebooks")) + 1
    assert all(line[:2] in ("✔ ", "✘ ") for line in lines[:-1])


def test_version_parsing():
    assert doctor.version_tuple("2.0.0rc1") == (2, 0, 0)
    assert doctor.version_tuple("0.10.0") > doctor.version_tuple("0.9")
    assert doctor.parse_spec(">=8.0,<9") == ((8, 0), (9,))
    with pytest.raises(ValueError, match="expected a requirement like"):
        doctor.parse_spec("~=8.0")


def test_the_troubleshooting_guide_quotes_the_doctor_exactly(monkeypatch):
    """docs/troubleshooting.md shows a ✘ line; it must be the doctor's own words."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    guide = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    line = doctor.check_package("ipympl", doctor.PACKAGES["ipympl"], None).line()
    assert line == '✘ ipympl is not installed — pip install "ipympl>=0.9"'
    assert line in guide
