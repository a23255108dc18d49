"""Is this computer ready for the course? One line per check.

    python -m bpkit.doctor                      in a terminal
    from bpkit import doctor; doctor.run()      in a notebook cell

Every line starts with ✔ (fine) or ✘ (needs fixing); a ✘ line ends with the
command that fixes it. ``python -m bpkit.doctor`` exits with 1 when any check
fails, so a script can use it too.

The checks:

- Python is 3.10 or newer;
- numpy, matplotlib, ipywidgets 8, ipympl and JupyterLab 4 are installed, in the
  versions of ``requirements.txt`` (read from the packages' metadata: nothing
  heavy is imported);
- the browser halves of the widgets (JupyterLab extensions) are installed in the
  JupyterLab that shows the notebooks; without them a widget shows up as
  "Error displaying widget" or as plain text;
- in a terminal: ``jupyter lab`` starts this Python's JupyterLab (not another
  environment's, whose notebooks would not see the course's packages);
- ``import bpkit`` finds the bpkit of the course folder you are working in.

In a notebook the doctor checks the notebook's own Python (its kernel) and the
JupyterLab that started it, which may live in another environment.

On Google Colab, JupyterLab and its extensions are not needed and not checked.
"""

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

MIN_PYTHON = (3, 10)

# Keep in step with requirements.txt (a test checks that they agree).
PACKAGES = {
    "numpy": ">=1.26",
    "matplotlib": ">=3.7",
    "ipywidgets": ">=8.0,<9",
    "ipympl": ">=0.9",
    "jupyterlab": ">=4.0,<5",
}

# The browser halves of the widgets: (JupyterLab extension, what it is, the versions
# that speak to ipywidgets 8 and ipympl 0.9+, the pip package that ships them).
LAB_EXTENSIONS = [
    ("@jupyter-widgets/jupyterlab-manager", "the ipywidgets front end", ">=5,<6", "jupyterlab_widgets>=3,<4"),
    ("jupyter-matplotlib", "the ipympl front end", ">=0.11", "ipympl>=0.9"),
]


@dataclass
class Check:
    """The outcome of one check: ``ok``, what was found, and the command that fixes it."""
    ok: bool
    found: str
    fix: str = ""

    def line(self, marks=("✔", "✘")):
        if self.ok:
            return f"{marks[0]} {self.found}"
        return f"{marks[1]} {self.found} — {self.fix}"


# ---- where are we? ------------------------------------------------------------

def in_kernel():
    """True inside a Jupyter kernel (a notebook), False in a terminal."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython else None
    return shell is not None and hasattr(shell, "kernel")


def on_colab():
    """True on Google Colab."""
    if "google.colab" in sys.modules:
        return True
    try:
        import importlib.util
        return importlib.util.find_spec("google.colab") is not None
    except ImportError:
        return False


def same_folder(a, b):
    """True when paths a and b name the same folder (following links)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def jupyter_server_prefix():
    """The environment (its ``sys.prefix``) of the Jupyter server that started
    this kernel, read from the server's command line (``…/bin/jupyter-lab …``
    or ``…/bin/python -m jupyterlab …``); None when unknown: not started by a
    Jupyter server, or not on Linux."""
    pid = os.environ.get("JPY_PARENT_PID")
    try:
        args = [os.fsdecode(a) for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except (OSError, TypeError):
        return None
    for arg in args[:3]:                               # python …/bin/jupyter-lab, or the script itself
        if Path(arg).name.startswith("jupyter") and os.path.isabs(arg):
            return environment_of(arg)
    if "-m" in args[:-1] and args[args.index("-m") + 1].split(".")[0] in ("jupyterlab", "notebook", "jupyter_server"):
        return environment_of(args[0] if os.path.isabs(args[0]) else shutil.which(args[0]))
    return None


def environment_of(program):
    """``/env/bin/jupyter-lab`` → ``/env``; None unless the program sits in a bin/ or Scripts/ folder."""
    if program is None or Path(program).parent.name not in ("bin", "Scripts"):
        return None
    return str(Path(program).parent.parent)


# ---- fix commands -------------------------------------------------------------

def pip_install(args, prefix=None, then=None):
    """The command that runs ``pip install <args>`` with the right Python.

    In a notebook: ``%pip install ...`` (it installs into the kernel's Python).
    In a terminal: ``pip install ...`` when that ``pip`` belongs to this Python,
    else ``<this python> -m pip install ...``. For another environment
    (``prefix``: the one running JupyterLab), that environment's Python.
    ``then`` says what to do afterwards (default: restart what needs it).
    """
    if prefix is not None and not same_folder(prefix, sys.prefix):
        command = f'"{python_in(prefix)}" -m pip install {args}'
        then = then or "restart JupyterLab"
    elif in_kernel():
        command = f"%pip install {args}"
        then = then or "restart the kernel"
    elif same_folder(Path(shutil.which("pip") or "/nonexistent").parent, Path(sys.executable).parent):
        command = f"pip install {args}"
    else:
        command = f'"{sys.executable}" -m pip install {args}'
    return command + (f", then {then}" if then else "")


def python_in(prefix):
    """The Python executable of the environment at ``prefix``."""
    if os.name == "nt":
        return str(Path(prefix) / "python.exe")
    return str(Path(prefix) / "bin" / "python")


# ---- versions -----------------------------------------------------------------

def installed_version(name):
    """The installed version of package ``name`` (from its metadata), or None."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def version_tuple(text):
    """'2.4.6' → (2, 4, 6); '2.0.0rc1' → (2, 0, 0). Enough to compare release numbers."""
    numbers = []
    for part in text.split("."):
        digits = re.match(r"\d*", part).group()
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


def parse_spec(spec):
    """'>=8.0,<9' → ((8, 0), (9,)): the lowest allowed version and the first
    version that is too new (None when there is no upper limit)."""
    lowest, too_new = (), None
    for part in spec.split(","):
        part = part.strip()
        if part.startswith(">="):
            lowest = version_tuple(part[2:])
        elif part.startswith("<"):
            too_new = version_tuple(part[1:])
        else:
            raise ValueError(f"expected a requirement like '>=1.2' or '<3', got {part!r}")
    return lowest, too_new


def check_python(version_info=None, executable=None):
    """Python must be at least 3.10."""
    version_info = version_info or sys.version_info
    executable = executable or sys.executable
    version = ".".join(str(n) for n in version_info[:3])
    if tuple(version_info[:2]) >= MIN_PYTHON:
        return Check(True, f"Python {version} ({executable})")
    return Check(False, f"Python {version} is too old: the course needs Python 3.10 or newer",
                 "install Python 3.10+ (https://www.python.org/downloads/), then make a fresh "
                 "environment with it: python3.12 -m venv .venv")


def check_package(name, spec, version, prefix=None):
    """Package ``name`` at ``version`` (None: not installed) must satisfy ``spec``."""
    lowest, too_new = parse_spec(spec)
    if version is None:
        return Check(False, f"{name} is not installed", pip_install(f'"{name}{spec}"', prefix))
    if version_tuple(version) < lowest:
        return Check(False, f"{name} {version} is too old (the course needs {name}{spec})",
                     pip_install(f'--upgrade "{name}{spec}"', prefix))
    if too_new is not None and version_tuple(version) >= too_new:
        return Check(False, f"{name} {version} is too new (the course needs {name}{spec})",
                     pip_install(f'"{name}{spec}"', prefix))
    return Check(True, f"{name} {version}")


# ---- JupyterLab and its extensions ---------------------------------------------

def labextension_dirs(prefix=None):
    """Folders where JupyterLab looks for extensions, for the JupyterLab of the
    environment at ``prefix`` (default: this Python's)."""
    try:
        from jupyter_core.paths import jupyter_path
        dirs = jupyter_path("labextensions")
    except ImportError:                       # no Jupyter here: the usual places
        dirs = [str(Path(sys.prefix) / "share" / "jupyter" / "labextensions"),
                str(Path.home() / ".local" / "share" / "jupyter" / "labextensions"),
                "/usr/local/share/jupyter/labextensions", "/usr/share/jupyter/labextensions"]
    if prefix is not None and not same_folder(prefix, sys.prefix):
        here = Path(sys.prefix).resolve()
        dirs = [d for d in dirs if here not in Path(d).resolve().parents]
        dirs.insert(0, str(Path(prefix) / "share" / "jupyter" / "labextensions"))
    return dirs


def disabled_labextensions():
    """Names of extensions switched off with ``jupyter labextension disable``."""
    try:
        from jupyter_core.paths import jupyter_config_path
    except ImportError:
        return set()
    disabled = set()
    for folder in jupyter_config_path():
        page_config = Path(folder) / "labconfig" / "page_config.json"
        try:
            settings = json.loads(page_config.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        disabled |= {name for name, off in settings.get("disabledExtensions", {}).items() if off}
    return disabled


def check_labextension(name, what, spec, requirement, dirs, disabled=(), prefix=None):
    """JupyterLab extension ``name`` must be in one of ``dirs``, in a version
    allowed by ``spec``, and not disabled; ``requirement`` is the pip package that ships it."""
    for folder in dirs:
        package_json = Path(folder) / name / "package.json"
        if package_json.is_file():
            break
    else:
        return Check(False, f"{what} ({name}) is not installed in JupyterLab: widgets would not display",
                     pip_install(f'"{requirement}"', prefix, then="restart JupyterLab and reload the page"))
    if name in disabled:
        return Check(False, f"{what} ({name}) is disabled in JupyterLab",
                     f"jupyter labextension enable {name}, then restart JupyterLab")
    version = json.loads(package_json.read_text(encoding="utf-8")).get("version", "0")
    lowest, too_new = parse_spec(spec)
    if version_tuple(version) < lowest or (too_new is not None and version_tuple(version) >= too_new):
        return Check(False, f"{what} in JupyterLab is {name} {version}, which does not match this course's "
                            f"widgets (it needs {spec})",
                     pip_install(f'--upgrade "{requirement}"', prefix, then="restart JupyterLab and reload the page"))
    return Check(True, f"{what} ({name} {version}) is installed in JupyterLab")


def jupyterlab_version(prefix=None):
    """The version of the JupyterLab in the environment at ``prefix`` (default:
    this Python's), or None when it has none."""
    if prefix is None or same_folder(prefix, sys.prefix):
        return installed_version("jupyterlab")
    package_json = Path(prefix) / "share" / "jupyter" / "lab" / "static" / "package.json"
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def check_jupyter_command(executable=None, which=shutil.which):
    """In a terminal: the ``jupyter-lab`` on PATH must belong to this Python,
    else ``jupyter lab`` starts another environment whose kernel lacks the course."""
    executable = executable or sys.executable
    command = which("jupyter-lab")
    here = Path(executable).parent
    if command is None:
        return Check(True, f"JupyterLab starts with: \"{executable}\" -m jupyterlab")
    if same_folder(Path(command).parent, here) or Path(command).parent.name == "shims":
        return Check(True, f"jupyter lab on your PATH is this Python's ({command})")
    return Check(False, f"jupyter lab on your PATH ({command}) belongs to another Python, "
                        "whose notebooks would not see this one's packages",
                 f"start JupyterLab with \"{executable}\" -m jupyterlab (or activate this environment first)")


# ---- bpkit itself ------------------------------------------------------------

def find_checkout(start):
    """The course folder (with bpkit/ and notebooks/ in it) at or above ``start``, or None."""
    start = Path(start).resolve()
    for folder in [start, *start.parents]:
        if (folder / "bpkit" / "__init__.py").is_file() and (folder / "notebooks").is_dir():
            return folder
    return None


def same_sources(a, b):
    """True when folders a and b hold the same .py files with the same contents."""
    def sources(folder):
        return {p.relative_to(folder): p.read_bytes() for p in Path(folder).rglob("*.py")}
    return sources(a) == sources(b)


def check_bpkit(imported_from, version, start):
    """``import bpkit`` must find the bpkit of the course folder around ``start``
    (or an identical copy); with no course folder around, any bpkit will do."""
    checkout = find_checkout(start)
    if checkout is None:
        return Check(True, f"bpkit {version} from {imported_from} (no course folder at or above {start})")
    mine = checkout / "bpkit"
    if same_folder(imported_from, mine):
        return Check(True, f"bpkit {version} from this course folder ({mine})")
    if same_sources(imported_from, mine):
        return Check(True, f"bpkit {version} from {imported_from}, an installed copy identical to {mine} "
                           f"(to make edits to {mine} count: pip install -e \"{checkout}\")")
    return Check(False, f"import bpkit finds {imported_from}, not this course's {mine}, and they differ",
                 pip_install(f'-e "{checkout}"'))


# ---- all together ------------------------------------------------------------

def check_all(start=None):
    """Run every check; returns a list of ``Check``.

    ``start``: the folder you work in (default: the current one, which in a
    notebook is the notebook's folder), used to find the course folder.
    """
    import bpkit
    start = Path(start) if start is not None else Path.cwd()
    checks = [check_python()]
    checks += [check_package(name, spec, installed_version(name))
               for name, spec in PACKAGES.items() if name != "jupyterlab"]
    if on_colab():
        checks.append(Check(True, "Google Colab: JupyterLab and its extensions are not needed here"))
    else:
        prefix = jupyter_server_prefix() if in_kernel() else None
        checks.append(check_package("jupyterlab", PACKAGES["jupyterlab"], jupyterlab_version(prefix), prefix))
        dirs, disabled = labextension_dirs(prefix), disabled_labextensions()
        checks += [check_labextension(name, what, spec, requirement, dirs, disabled, prefix)
                   for name, what, spec, requirement in LAB_EXTENSIONS]
        if not in_kernel() and installed_version("jupyterlab") is not None:
            checks.append(check_jupyter_command())
    checks.append(check_bpkit(Path(bpkit.__file__).parent, bpkit.__version__, start))
    return checks


def marks_for(stream):
    """✔ and ✘, or plain-text stand-ins where the terminal cannot show them."""
    try:
        "✔✘—".encode(getattr(stream, "encoding", None) or "utf-8")
        return ("✔", "✘")
    except (UnicodeEncodeError, LookupError):
        return ("OK", "XX")


def report(checks, marks=("✔", "✘")):
    """The lines ``run`` prints: one per check, then a summary."""
    lines = [check.line(marks) for check in checks]
    failed = sum(not check.ok for check in checks)
    if failed:
        again = "run this cell again" if in_kernel() else "run python -m bpkit.doctor again"
        lines.append(f"{failed} of {len(checks)} checks failed: run the command after each {marks[1]}, then {again}.")
    else:
        lines.append(f"All {len(checks)} checks passed: you are ready for the course.")
    return "\n".join(lines)


def print_report(checks, file=None):
    """Print the report, with plain-text marks where the terminal cannot show ✔ and ✘."""
    file = file or sys.stdout
    marks = marks_for(file)
    text = report(checks, marks)
    if marks != ("✔", "✘"):
        text = text.replace("—", "--")
    print(text, file=file)


def run(start=None, file=None):
    """Check everything and print one line per check (for a notebook cell).
    Returns nothing, so the cell shows only the report; ``check_all()`` gives the results."""
    print_report(check_all(start), file)


def main():
    """``python -m bpkit.doctor``: print the report; exit code 1 if any check failed."""
    checks = check_all()
    print_report(checks)
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
