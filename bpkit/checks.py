"""Feedback for the exercises: run your function, say what is right or what is wrong.

    from bpkit import checks
    checks.check_sigmoid(sigmoid)

Each check calls your function on a few probe inputs and compares what comes
back with bpkit's own implementation. It prints one message and returns a
``CheckResult`` (``.passed``, ``.status``, ``.message``):

    ✔ ...                      correct
    ✘ ... + a named mistake    a mistake the check recognises, with a hint
    ✘ ... + expected vs got    an input where your answer differs
    … not implemented yet      the task still says ``raise NotImplementedError()``

A recognised mistake is found by comparing your answer with what a typical
mistake would have produced on the same input (the sign flipped, the 1/n left
out, a matrix transposed, ...). A check never shows the reference code.

How this file is laid out: the result; calling the learner's function (on
copies, catching NotImplementedError, crashes, NumPy warnings and changed
inputs); comparing an answer with the expected one and with the ``Mistake``
models; running a check over several probes; then one section per lesson,
each with its probe inputs, its reference (bpkit's own code) and its mistakes.
"""

import itertools
import traceback
import warnings
from dataclasses import dataclass

import numpy as np

from . import activations, datasets, initializers, losses
from .gradcheck import numerical_gradient as _numerical_gradient_in_place
from .network import MLP

RTOL, ATOL = 1e-6, 1e-9


# ---- the result ---------------------------------------------------------------

@dataclass
class CheckResult:
    """What a check found: ``status`` is "passed", "failed" or "not implemented"."""
    task: str
    status: str
    message: str

    @property
    def passed(self):
        return self.status == "passed"

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"CheckResult(task={self.task!r}, status={self.status!r})"

    def _ipython_display_(self):
        # The check has already printed the message in the cell that ran it;
        # show it again only when the result is displayed from a later cell.
        if _execution_count() != self._shown_at:
            print(self.message)


def _execution_count():
    """IPython's current execution count (None outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return getattr(shell, "execution_count", None)


class _NotImplemented(Exception):
    """The learner's function (or a function it calls) still raises NotImplementedError."""


class _Failed(Exception):
    """A wrong answer; ``specific`` when the message names a recognised mistake."""

    def __init__(self, message, specific=False):
        super().__init__(message)
        self.specific = specific
        self.error = None      # "ValueError: ..." when the learner's function raised


def _run(task, body, quiet=False):
    """Run one check. ``body()`` raises _Failed / _NotImplemented, or returns the pass message."""
    try:
        note = body()
        status, message = "passed", f"✔ {task}: correct. {note}".rstrip()
    except _NotImplemented as missing:
        status = "not implemented"
        if str(missing):
            message = (f"… {task}: not implemented yet — it calls `{missing}`, which still raises "
                       f"NotImplementedError. Finish that task first, run its cell, then run this check again.")
        else:
            message = (f"… {task}: not implemented yet. Replace `raise NotImplementedError()` with your code, "
                       f"run that cell, then run this check again.")
    except _Failed as failure:
        status, message = "failed", f"✘ {task}: {failure}"
    result = CheckResult(task, status, message)
    result._shown_at = _execution_count()
    if not quiet:
        print(message)
    return result


# ---- calling the learner's function ------------------------------------------

def _show(value, precision=4):
    """A short, stable text for a probe value."""
    if callable(value):
        return getattr(value, "__doc__", None) or "a test function"
    if isinstance(value, np.random.Generator):
        return "np.random.default_rng(...)"
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=precision, suppress_small=True, separator=", ", max_line_width=70)
        one_line = " ".join(text.split())
        return one_line if len(one_line) <= 60 else text
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _field(prefix, value, precision=4):
    """prefix + the value, later lines of a matrix lined up under the first."""
    return prefix + _show(value, precision).replace("\n", "\n" + " " * len(prefix))


def _precision_to_tell_apart(first, second):
    """The fewest digits (4, 6, ... 12) at which the two values print differently."""
    precision = 4
    while precision < 12 and _show(first, precision) == _show(second, precision):
        precision += 2
    return precision


def _expected_and_got(label, expected, got):
    """Two lines, with enough digits that they differ where the values differ."""
    precision = _precision_to_tell_apart(expected, got)
    return (_field(f"  expected {label} = ", expected, precision) + "\n"
            + _field(f"  got      {label} = ", got, precision))


def _show_inputs(names, args):
    """One line per probe input: `  name = value`."""
    return "\n".join(_field(f"  {name} = ", value) for name, value in zip(names, args))


def _copy(value):
    """A copy of an array (other values are passed as they are)."""
    return value.copy() if isinstance(value, np.ndarray) else value


def _where_it_broke(error):
    """'line 3 of your sigmoid: return 1 / ...' for the last frame outside this file."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__]
    if not frames:
        return ""
    frame = frames[-1]
    line = f": {frame.line.strip()}" if frame.line else ""
    return f"\n  (line {frame.lineno} of {frame.name}{line})"


def _call(fn, names, args, warning_hint=None, inplace_hint=None):
    """Call fn(*copies of args) and return its answer.

    Raises _NotImplemented, or _Failed for an exception, a NumPy warning
    (overflow and friends) or an input modified in place.
    """
    if not callable(fn):
        raise _Failed(f"expected a function, got {type(fn).__name__} {fn!r}")
    copies = [_copy(a) for a in args]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with np.errstate(over="warn", divide="warn", invalid="warn"):
                answer = fn(*copies)
        except NotImplementedError as error:
            frames = traceback.extract_tb(error.__traceback__)
            culprit = frames[-1].name if frames else ""
            own = getattr(fn, "__name__", "")
            raise _NotImplemented(culprit if culprit not in (own, "<lambda>", "_call", "") else "") from None
        except Exception as error:   # the learner's code failed: report it, no traceback
            failure = _Failed(f"your function raised {type(error).__name__}: {error}"
                              f"{_where_it_broke(error)}{_crash_hint(error)}\n"
                              f"  on the input\n{_show_inputs(names, args)}")
            failure.error = f"{type(error).__name__}: {error}"
            raise failure from None
    numpy_warnings = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if numpy_warnings:
        hint = warning_hint or ("Rewrite it so that no intermediate value overflows for "
                                "inputs like these.")
        raise _Failed(f"NumPy warned \"{numpy_warnings[0].message}\" on the input\n"
                      f"{_show_inputs(names, args)}\n  {hint}")
    for name, before, after in zip(names, args, copies):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            change = np.max(np.abs(np.asarray(after, dtype=np.float64) - before))
            precision = _precision_to_tell_apart(before, after)
            hint = inplace_hint or (f"Build a new array instead (for example `{name} = {name} - ...` "
                                    f"rather than `{name} -= ...`, or start from `{name}.copy()`).")
            raise _Failed(f"your function modified its input `{name}` in place (largest change {change:.2g}): "
                          f"it went from\n" + _field("    ", before, precision) + "\n  to\n"
                          + _field("    ", after, precision) + f"\n  {hint}", specific=True)
    return answer


# What a NumPy error usually means in a learner's code: (words in the error, hint).
_CRASH_HINTS = [
    (("converted to Python scalars",),
     "The `math` module (math.exp, math.log, ...) works on one number at a time; use np.exp, np.log, ..., "
     "which work on whole arrays."),
    (("truth value of an array",),
     "`if`, `and` and `or` need a single True/False, but this compares a whole array. Decide element by "
     "element instead: np.where(condition, x, y), np.maximum, or a mask like z > 0."),
    (("matmul", "not aligned"),
     "In A @ B the number of columns of A must equal the number of rows of B. Write the shape of each "
     "array next to it (the task lists them): is a .T missing or extra, or are the factors swapped?"),
    (("could not be broadcast",),
     "Two arrays on that line have shapes NumPy cannot combine. Print their .shape and compare them "
     "with the shapes the task gives."),
]


def _crash_hint(error):
    """A hint for a NumPy error a learner often meets ('' if there is none)."""
    text = str(error)
    for words, hint in _CRASH_HINTS:
        if any(word in text for word in words):
            return f"\n  {hint}"
    return ""


def _quietly(fn, *args):
    """Run one of the mistake models without warnings; None if it fails."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return fn(*[_copy(a) for a in args])
    except Exception:
        return None


# ---- comparing answers --------------------------------------------------------

def _is_number(value):
    """A plain int or float (NumPy's too), not a bool."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _close(got, expected, rtol=RTOL, atol=ATOL):
    """Same kind (number or array), same shape, same values."""
    if got is None or expected is None:
        return False
    if np.ndim(expected) == 0:
        if isinstance(got, (list, tuple)):
            return False
        try:
            got = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        return got.size == 1 and np.allclose(got.reshape(()), expected, rtol=rtol, atol=atol)
    if not isinstance(got, np.ndarray) or got.shape != np.shape(expected):
        return False
    try:
        return bool(np.allclose(got.astype(np.float64), expected, rtol=rtol, atol=atol, equal_nan=True))
    except (TypeError, ValueError):
        return False


def _loosely_close(got, expected, rtol=RTOL, atol=ATOL):
    """Like _close, but a list counts as an array (used to match mistake models)."""
    if isinstance(got, (list, tuple)) and np.ndim(expected) > 0:
        try:
            got = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return False
    return _close(got, expected, rtol, atol)


@dataclass
class Mistake:
    """A typical mistake: ``model(*args)`` returns what that mistake produces."""
    hint: str
    model: object


def _compare(label, got, expected, names, args, mistakes=(), part=None, formula="", rtol=RTOL, atol=ATOL,
             inputs_text=None):
    """Raise _Failed with the most useful sentence if ``got`` is not ``expected``.

    ``part`` is the index in a tuple answer (mistake models return whole tuples);
    ``inputs_text`` describes the input when printing it in full would be too long.
    """
    shown_inputs = inputs_text or _show_inputs(names, args)
    if _close(got, expected, rtol, atol) and not isinstance(got, (list, tuple)):
        return
    what = f"`{label}`"
    if got is None:
        raise _Failed(f"{what} is None. Did you forget `return`?")
    for mistake in mistakes:
        wrong = _quietly(mistake.model, *args)
        if wrong is not None and part is not None:
            wrong = wrong[part]
        if wrong is not None and not _close(wrong, expected, rtol, atol) and _loosely_close(got, wrong, rtol, atol):
            raise _Failed(f"{what} is wrong. {mistake.hint}\n  on the input\n{shown_inputs}\n"
                          + _expected_and_got(label, np.asarray(expected), _plain(got)),
                          specific=True)
    if isinstance(got, (list, tuple)) and np.ndim(expected) > 0:
        same = _loosely_close(got, expected, rtol, atol)
        raise _Failed(f"{what} is a Python {type(got).__name__}; return a NumPy array "
                      f"(work on whole arrays with NumPy operations, or wrap the result in np.array(...))."
                      + (" Its numbers are right." if same else ""))
    if np.ndim(expected) == 0:
        if not _is_number(got) and not (isinstance(got, np.ndarray) and got.size == 1):
            shape = f" of shape {got.shape}" if isinstance(got, np.ndarray) else ""
            raise _Failed(f"{what} should be a single number, got {type(got).__name__}{shape}. "
                          f"Did you forget to add up (np.sum) over the samples?")
        raise _Failed(f"{what} has the wrong value.{_formula(formula)}\n  on the input\n"
                      f"{shown_inputs}\n  expected {label} = {float(expected):.6g}\n"
                      f"  got      {label} = {float(np.asarray(got, dtype=np.float64).reshape(())):.6g}")
    if not isinstance(got, np.ndarray):
        hint = (" You returned a single number: did you add up (np.sum) or average (np.mean) what should "
                "stay one value per entry?") if _is_number(got) else ""
        raise _Failed(f"{what} should be a NumPy array of shape {np.shape(expected)}, "
                      f"got {type(got).__name__} {_show(got)}.{hint}")
    if got.shape != np.shape(expected):
        message, hint = _shape_message(what, got, np.asarray(expected))
        raise _Failed(message + hint, specific=bool(hint))
    if not np.issubdtype(got.dtype, np.number) and got.dtype != bool:
        raise _Failed(f"{what} holds {got.dtype} values, not numbers")
    wrong = ~np.isclose(got.astype(np.float64), expected, rtol=rtol, atol=atol, equal_nan=True)
    index = tuple(int(i) for i in np.argwhere(wrong)[0])
    bad = "" if np.all(np.isfinite(got)) else (" It holds inf or nan: something overflowed or divided by zero "
                                                "for inputs like these.")
    raise _Failed(f"{what} has wrong values (first at index {index}: expected {expected[index]:.6g}, "
                  f"got {float(got[index]):.6g}).{bad}{_formula(formula)}\n  on the input\n"
                  f"{shown_inputs}\n" + _expected_and_got(label, np.asarray(expected), got))


def _plain(value):
    """The value as a float array if it converts, else unchanged (for printing)."""
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return value


def _formula(formula):
    """' Remember: <formula>.' (or '' without a formula)."""
    return f" Remember: {formula}." if formula else ""


def _shape_message(what, got, expected):
    """The shape complaint, and a hint when the wrong shape tells what happened ('' if not)."""
    message = f"{what} has the wrong shape: expected {expected.shape}, got {got.shape}."
    hint = ""
    if got.shape == expected.T.shape and np.allclose(got.T, expected, rtol=RTOL, atol=ATOL):
        hint = " It is the transpose of the right answer: swap the order of the matrix product (and the .T)."
    elif got.size == expected.size and np.allclose(got.reshape(expected.shape), expected, rtol=RTOL, atol=ATOL):
        hint = f" The numbers are right: keep the shape {expected.shape} (avoid flattening, or reshape)."
    elif got.ndim == 2 and expected.ndim == 2 and got.shape[0] == got.shape[1] == expected.shape[0] \
            and expected.shape[1] == 1:
        hint = (" An array of shape (n,) met one of shape (n, 1) and NumPy broadcast them "
                "to (n, n): keep every column vector 2-D.")
    elif got.size == 1 and expected.size > 1:
        hint = " You returned a single number: did you add up (np.sum) what should stay one value per entry?"
    return message, hint


# ---- running a check on several probes -----------------------------------------

def _recognise_crash(failure, mistakes, args):
    """If the learner's function crashed exactly as a mistake model crashes, name the mistake."""
    if failure.error is None:
        return
    for mistake in mistakes:
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                mistake.model(*[_copy(a) for a in args])
        except Exception as error:
            if f"{type(error).__name__}: {error}" == failure.error:
                raise _Failed(f"{mistake.hint}\n  (Your function raised {failure.error})", specific=True) from None


def _complain_if_reordered(got, expected, outputs, rtol=RTOL, atol=ATOL):
    """Raise _Failed if the results are all right but returned in another order."""
    if all(_close(g, e, rtol, atol) for g, e in zip(got, expected)):
        return
    for order in itertools.permutations(range(len(got))):
        if all(_close(got[i], e, rtol, atol) for i, e in zip(order, expected)):
            returned = ", ".join(outputs[order.index(part)] for part in range(len(outputs)))
            raise _Failed(f"every result is right, but in the wrong order: you returned them as "
                          f"({returned}). End with `return {', '.join(outputs)}`.", specific=True)


def _first_failure(steps):
    """Run every step; if some failed, raise the first recognised mistake, else the first failure.

    (A mistake can crash on one probe, say with a shape error, and be recognisable on another.)
    """
    failures = []
    for step in steps:
        try:
            step()
        except _Failed as failure:
            failures.append(failure)
    if failures:
        raise next((f for f in failures if f.specific), failures[0])


def _check_function(task, fn, names, probes, reference, outputs=None, mistakes=(), formula="",
                    warning_hint=None, inplace_hint=None, note="", quiet=False, rtol=RTOL, atol=ATOL):
    """The common case: fn(*probe) must equal reference(*probe) on every probe.

    ``outputs`` names the parts of a tuple answer, e.g. ("dw", "db"); None for one result.
    """
    def one_probe(args):
        try:
            got = _call(fn, names, args, warning_hint, inplace_hint)
        except _Failed as failure:
            _recognise_crash(failure, mistakes, args)
            raise
        expected = reference(*[_copy(a) for a in args])
        if outputs is None:
            _compare(f"{task}({', '.join(names)})", got, expected, names, args, mistakes, None, formula, rtol, atol)
            return
        if not isinstance(got, (tuple, list)) or len(got) != len(outputs):
            count = len(got) if isinstance(got, (tuple, list)) else 1
            raise _Failed(f"expected {len(outputs)} results ({', '.join(outputs)}), "
                          f"got {count}. End with `return {', '.join(outputs)}`.")
        _complain_if_reordered(got, expected, outputs, rtol, atol)
        for part, label in enumerate(outputs):
            _compare(label, got[part], expected[part], names, args, mistakes, part, formula, rtol, atol)

    def body():
        _first_failure([lambda args=args: one_probe(args) for args in probes])
        return note
    return _run(task, body, quiet)


# ---- lesson 01: a single neuron -------------------------------------------------

def _z_probes():
    """Inputs for the activations: ordinary values, a 2-D array, and |z| up to 1000."""
    return [(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),),
            (np.array([[-3.0, 1.0], [0.25, -0.75], [4.0, -1.5]]),),
            (np.array([-1000.0, -50.0, 50.0, 1000.0]),)]


_LARGE_Z = ("For z = −1000, e^(−z) = e^1000 is too big for a float. Use np.exp only on numbers ≤ 0: "
            "for z < 0 rewrite σ(z) with e^z (multiply top and bottom by e^z), or use np.where / np.clip.")


def check_sigmoid(fn, quiet=False):
    """Check ``sigmoid(z)``: σ(z) = 1 / (1 + e^(−z)), element-wise, safe for large |z|."""
    mistakes = [
        Mistake("That is σ(−z) = 1 − σ(z): the sign in the exponent is flipped; σ(z) = 1 / (1 + e^(−z)).",
                lambda z: 1 / (1 + np.exp(z))),
        Mistake("The denominator should be 1 + e^(−z), not 1 − e^(−z).", lambda z: 1 / (1 - np.exp(-z))),
        Mistake("That is tanh(z); the sigmoid is 1 / (1 + e^(−z)).", np.tanh),
        Mistake("That is e^(−z) / (1 + e^(−z)) = 1 − σ(z); the numerator should be 1.",
                lambda z: np.exp(-z) / (1 + np.exp(-z))),
    ]
    return _check_function("sigmoid", fn, ["z"], _z_probes(), activations.sigmoid, mistakes=mistakes,
                           formula="σ(z) = 1 / (1 + e^(−z))", warning_hint=_LARGE_Z,
                           note="It also stays quiet for z = ±1000.", quiet=quiet)


def check_sigmoid_derivative(fn, quiet=False):
    """Check ``sigmoid_derivative(z)``: σ'(z) = σ(z)(1 − σ(z)), taking the input z."""
    sigma = activations.sigmoid
    mistakes = [
        Mistake("You computed z(1 − z): that formula takes the sigmoid's *output* a = σ(z). "
                "This function gets the *input* z, so compute σ(z) first.", lambda z: z * (1 - z)),
        Mistake("You applied σ twice: a(1 − a) with a = σ(σ(z)). This function gets the input z; "
                "σ(z)(1 − σ(z)) needs σ only once.", lambda z: sigma(sigma(z)) * (1 - sigma(sigma(z)))),
        Mistake("You wrote σ(z)(1 − z): both factors use σ(z), so the second is 1 − σ(z).",
                lambda z: sigma(z) * (1 - z)),
        Mistake("You returned σ(z) itself, not its slope σ(z)(1 − σ(z)).", sigma),
        Mistake("The slope is σ(z)(1 − σ(z)), with a minus sign: you wrote σ(z)(1 + σ(z)).",
                lambda z: sigma(z) * (1 + sigma(z))),
    ]
    return _check_function("sigmoid_derivative", fn, ["z"], _z_probes(), activations.sigmoid_derivative,
                           mistakes=mistakes, formula="σ'(z) = σ(z)(1 − σ(z))", warning_hint=_LARGE_Z,
                           quiet=quiet)


def check_tanh_derivative(fn, quiet=False):
    """Check ``tanh_derivative(z)``: tanh'(z) = 1 − tanh(z)², taking the input z."""
    mistakes = [
        Mistake("You wrote 1 − tanh(z): the derivative is 1 − tanh(z)², with a square (1 − x², not 1 − x).",
                lambda z: 1 - np.tanh(z)),
        Mistake("You wrote 1 − z: that is 1 − x instead of 1 − x², and with the input z instead of tanh(z).",
                lambda z: 1 - z),
        Mistake("You computed 1 − z²: that formula takes the *output* a = tanh(z). "
                "This function gets the *input* z, so compute tanh(z) first.", lambda z: 1 - z ** 2),
        Mistake("The derivative is 1 − tanh(z)², with a minus sign.", lambda z: 1 + np.tanh(z) ** 2),
        Mistake("You returned tanh(z) itself, not its slope.", np.tanh),
    ]
    return _check_function("tanh_derivative", fn, ["z"], _z_probes(), activations.tanh_derivative,
                           mistakes=mistakes, formula="tanh'(z) = 1 − tanh(z)²", quiet=quiet)


def check_relu(fn, quiet=False):
    """Check ``relu(z)``: max(0, z) element by element."""
    mistakes = [
        Mistake("np.max (and max) reduce an array to its largest entry; "
                "np.maximum compares two arrays element by element.", lambda z: np.max(z)),
        Mistake("np.max(z, 0) takes the largest entry along axis 0; np.maximum(z, 0) compares element by element.",
                lambda z: np.max(z, 0)),
        Mistake("That is min(0, z): ReLU keeps the positive part.", lambda z: np.minimum(0, z)),
        Mistake("That is |z|: ReLU sets negative inputs to 0.", np.abs),
    ]
    return _check_function("relu", fn, ["z"], _z_probes(), activations.relu, mistakes=mistakes,
                           formula="ReLU(z) = max(0, z), element by element", quiet=quiet)


def check_relu_derivative(fn, quiet=False):
    """Check ``relu_derivative(z)``: 1 where z > 0, else 0 (0 at the kink z = 0)."""
    mistakes = [
        Mistake("At the kink z = 0 the course takes the slope 0 (use z > 0, not z >= 0).",
                lambda z: (z >= 0).astype(float)),
        Mistake("You returned ReLU(z) itself, not its slope (1 or 0).", activations.relu),
    ]
    return _check_function("relu_derivative", fn, ["z"], _z_probes(), activations.relu_derivative,
                           mistakes=mistakes, formula="ReLU'(z) = 1 if z > 0 else 0", quiet=quiet)


def _neuron_reference(X, w, b):
    """a = σ(X w + b)."""
    return activations.sigmoid(X @ w + b)


def _neuron_probes():
    """(X, w, b): the AND inputs, and a random 5×3 batch."""
    rng = np.random.default_rng(1)
    return [(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[2.0], [-1.0]]), np.array([0.5])),
            (rng.normal(size=(5, 3)).round(2), rng.normal(size=(3, 1)).round(2), np.array([-0.3]))]


def check_neuron(fn, quiet=False):
    """Check ``neuron(X, w, b)``: a = σ(X w + b) for X (n, d), w (d, 1), b (1,) → a (n, 1)."""
    sigma = activations.sigmoid
    mistakes = [
        Mistake("You returned the weighted sum z = X w + b: apply the activation σ to it.", lambda X, w, b: X @ w + b),
        Mistake("The bias b is missing: z = X w + b.", lambda X, w, b: sigma(X @ w)),
        Mistake("Add the bias before the activation: σ(X w + b), not σ(X w) + b.", lambda X, w, b: sigma(X @ w) + b),
        Mistake("`X * w` multiplies element by element; the weighted sum is the matrix product X @ w.",
                lambda X, w, b: sigma(X * w.T + b)),
    ]
    return _check_function("neuron", fn, ["X", "w", "b"], _neuron_probes(), _neuron_reference,
                           mistakes=mistakes, formula="a = σ(X @ w + b), shape (n, 1)", quiet=quiet)


# ---- lesson 02: loss and gradient descent ----------------------------------------

def _loss_probes():
    """(a, y): one output per sample, and two outputs per sample."""
    return [(np.array([[0.2], [0.9], [0.6], [0.1]]), np.array([[0.0], [1.0], [1.0], [0.0]])),
            (np.array([[0.5, 0.3], [0.8, 0.1], [0.25, 0.75]]), np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]))]


def check_mse(fn, quiet=False):
    """Check ``mse(a, y)``: C = 1/(2n) Σ ‖y − a‖², one number; n = number of samples (rows)."""
    n_of = lambda a: a.shape[0]  # noqa: E731
    mistakes = [
        Mistake("The 1/n is missing: average over the n samples, C = 1/(2n) Σ ‖y − a‖².",
                lambda a, y: np.sum((y - a) ** 2) / 2),
        Mistake("The ½ is missing: the course's MSE is 1/(2n) Σ ‖y − a‖², so its gradient is simply (a − y)/n.",
                lambda a, y: np.sum((y - a) ** 2) / n_of(a)),
        Mistake("You divided by the number of entries (a.size); divide by the number of samples n = a.shape[0].",
                lambda a, y: np.sum((y - a) ** 2) / (2 * a.size)),
        Mistake("Square the differences before adding them up: Σ (y − a)², not (Σ (y − a))².",
                lambda a, y: np.sum(y - a) ** 2 / (2 * n_of(a))),
        Mistake("You returned one value per entry; the loss is a single number (add them up).",
                lambda a, y: (y - a) ** 2 / (2 * n_of(a))),
    ]
    return _check_function("mse", fn, ["a", "y"], _loss_probes(), losses.mse, mistakes=mistakes,
                           formula="C = 1/(2n) Σ ‖y − a‖², n = a.shape[0]", quiet=quiet)


def check_mse_gradient(fn, quiet=False):
    """Check ``mse_gradient(a, y)``: ∂C/∂a = (a − y)/n, same shape as a."""
    mistakes = [
        Mistake("Sign error: ∂C/∂a = (a − y)/n. With (y − a) gradient descent would walk uphill.",
                lambda a, y: (y - a) / a.shape[0]),
        Mistake("The 1/n is missing: C has 1/(2n) in front, so ∂C/∂a = (a − y)/n.", lambda a, y: a - y),
        Mistake("The ½ in C cancels the 2 of the square: ∂C/∂a = (a − y)/n, without the factor 2.",
                lambda a, y: 2 * (a - y) / a.shape[0]),
        Mistake("Divide by the number of samples n = a.shape[0], not by a.size.", lambda a, y: (a - y) / a.size),
    ]
    return _check_function("mse_gradient", fn, ["a", "y"], _loss_probes(), losses.mse_gradient,
                           mistakes=mistakes, formula="∂C/∂a = (a − y) / n, one entry per entry of a", quiet=quiet)


def check_bce(fn, quiet=False):
    """Check ``bce(a, y)``: C = −1/n Σ [y ln a + (1 − y) ln(1 − a)], finite even when a is 0 or 1."""
    probes = _loss_probes() + [(np.array([[0.0], [1.0], [1.0], [0.0]]), np.array([[0.0], [1.0], [1.0], [0.0]]))]
    n_of = lambda a: a.shape[0]  # noqa: E731
    mistakes = [
        Mistake("The minus sign is missing: ln of a number below 1 is negative, so C = −1/n Σ [...] ≥ 0.",
                lambda a, y: np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / n_of(a)),
        Mistake("The 1/n is missing: average over the n samples.",
                lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a))),
        Mistake("The (1 − y) ln(1 − a) term is missing: samples with target 0 must count too.",
                lambda a, y: -np.sum(y * np.log(a)) / n_of(a)),
        Mistake("Divide by the number of samples n = a.shape[0], not by a.size.",
                lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.size),
    ]
    hint = ("An output of exactly 0 or 1 makes ln(0) = −inf. Clip a into [1e-12, 1 − 1e-12] "
            "with np.clip before taking logarithms.")
    return _check_function("bce", fn, ["a", "y"], probes, losses.bce, mistakes=mistakes, warning_hint=hint,
                           formula="C = −1/n Σ [y ln a + (1 − y) ln(1 − a)], a clipped into [1e-12, 1 − 1e-12]",
                           atol=1e-6, quiet=quiet)


def check_gd_step(fn, quiet=False):
    """Check ``gd_step(theta, grad, lr)``: a new array θ − η ∇C; θ itself unchanged."""
    probes = [(np.array([1.0, -2.0, 0.5]), np.array([0.4, -0.1, 2.0]), 0.1),
              (np.array([[0.3, -0.7], [1.5, 0.0]]), np.array([[-1.0, 2.0], [0.5, 0.25]]), 0.5)]
    mistakes = [
        Mistake("Sign error in the update: step *against* the gradient, θ − η ∇C (with + you climb uphill).",
                lambda t, g, lr: t + lr * g),
        Mistake("You returned only the step η ∇C; the new θ is θ − η ∇C.", lambda t, g, lr: -lr * g),
        Mistake("You returned only the step η ∇C, and with the wrong sign; the new θ is θ − η ∇C.",
                lambda t, g, lr: lr * g),
        Mistake("The learning rate is missing: θ − η ∇C.", lambda t, g, lr: t - g),
        Mistake("Multiply the gradient by the learning rate; do not divide by it.", lambda t, g, lr: t - g / lr),
    ]
    return _check_function("gd_step", fn, ["theta", "grad", "lr"], probes, lambda t, g, lr: t - lr * g,
                           mistakes=mistakes, formula="θ_new = θ − η ∇C", quiet=quiet)


# ---- lesson 03: the chain rule, one neuron ----------------------------------------

def _neuron_gradient_reference(X, y, w, b):
    """(dw, db) from bpkit's MLP backward pass, for a single sigmoid neuron."""
    net = _net_from([w], [b], "sigmoid", "sigmoid")
    (dW, db), = net.backward_pass(net.forward_pass(X)[1], y, losses.get("mse"))
    return dW, db


def _neuron_gradient_model(delta_of, db_of=lambda d: d.sum(axis=0), dw_of=lambda X, d: X.T @ d):
    """A one-neuron gradient with δ, db and dw computed by the given (possibly wrong) rules."""
    def model(X, y, w, b):
        z = X @ w + b
        a = activations.sigmoid(z)
        delta = delta_of(a, y, z)
        return dw_of(X, delta), db_of(delta)
    return model


def check_neuron_gradient(fn, quiet=False):
    """Check ``neuron_gradient(X, y, w, b)`` → (dw, db) for a = σ(X w + b) and C = 1/(2n) Σ (a − y)²."""
    rng = np.random.default_rng(3)
    probes = [(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [0.0], [0.0], [1.0]]),
               np.array([[0.5], [-0.25]]), np.array([0.1])),
              (rng.normal(size=(6, 3)).round(2), rng.integers(0, 2, size=(6, 1)).astype(float),
               rng.normal(size=(3, 1)).round(2), np.array([-0.4]))]
    ds = activations.sigmoid_derivative
    n = lambda a: a.shape[0]  # noqa: E731
    right = lambda a, y, z: (a - y) / n(a) * a * (1 - a)  # noqa: E731
    mistakes = [
        Mistake("The 1/n is missing: C = 1/(2n) Σ (a − y)², so ∂C/∂a = (a − y)/n.",
                _neuron_gradient_model(lambda a, y, z: (a - y) * a * (1 - a))),
        Mistake("You forgot the activation's derivative: δ = ∂C/∂z = (a − y)/n · σ'(z), not just (a − y)/n.",
                _neuron_gradient_model(lambda a, y, z: (a - y) / n(a))),
        Mistake("Sign error: ∂C/∂a = (a − y)/n, not (y − a)/n.",
                _neuron_gradient_model(lambda a, y, z: (y - a) / n(a) * a * (1 - a))),
        Mistake("You took the derivative at the output instead of the input: σ'(z) = σ(z)(1 − σ(z)) "
                "= a(1 − a). Writing σ(a)(1 − σ(a)) applies σ twice.",
                _neuron_gradient_model(lambda a, y, z: (a - y) / n(a) * ds(a))),
        Mistake("You used z(1 − z): the shortcut a(1 − a) takes the *output* a = σ(z), not z.",
                _neuron_gradient_model(lambda a, y, z: (a - y) / n(a) * z * (1 - z))),
        Mistake("The bias gradient is summed over the wrong axis: add δ up over the samples (axis=0), "
                "one number per bias.", _neuron_gradient_model(right, db_of=lambda d: d.sum(axis=1))),
        Mistake("The bias gradient should keep the bias's shape (1,): sum over axis=0.",
                _neuron_gradient_model(right, db_of=lambda d: d.sum())),
        Mistake("The bias gradient adds δ up over the samples, it does not average it: "
                "the 1/n is already inside δ.", _neuron_gradient_model(right, db_of=lambda d: d.mean(axis=0))),
        Mistake("You returned δ itself as the weight gradient; ∂C/∂w = Xᵀ δ.",
                _neuron_gradient_model(right, dw_of=lambda X, d: d)),
    ]
    return _check_function("neuron_gradient", fn, ["X", "y", "w", "b"], probes, _neuron_gradient_reference,
                           outputs=("dw", "db"), mistakes=mistakes,
                           formula="δ = (a − y)/n ⊙ σ'(z), dw = Xᵀ δ (shape of w), db = Σ over samples of δ (shape (1,))",
                           quiet=quiet)


def _test_function(theta):
    """f(θ) = Σ sin(θ_i) θ_i² + (Σ θ)² / 2 (a test function)"""
    return float(np.sum(np.sin(theta) * theta ** 2) + np.sum(theta) ** 2 / 2)


def _numerical_gradient_reference(f, theta, h=1e-5):
    """bpkit's central differences, on a float copy of theta."""
    param = np.array(theta, dtype=np.float64)
    return _numerical_gradient_in_place(lambda: f(param), param, h)


def _one_sided(f, theta, h=1e-5):
    """Mistake model: the one-sided difference (f(θ + h) − f(θ)) / h."""
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta)) / h
    return grad


def _central(divisor):
    """Mistake model: central differences divided by divisor·h instead of 2h."""
    def model(f, theta, h=1e-5):
        grad = np.zeros_like(theta)
        for i in np.ndindex(theta.shape):
            step = np.zeros_like(theta)
            step[i] = h
            grad[i] = (f(theta + step) - f(theta - step)) / (divisor * h)
        return grad
    return model


def _all_at_once(f, theta, h=1e-5):
    """Mistake model: every entry nudged at once."""
    return np.full_like(theta, (f(theta + h) - f(theta - h)) / (2 * h))


def check_numerical_gradient(fn, quiet=False):
    """Check ``numerical_gradient(f, theta, h=1e-5)``: central differences, θ left as it was."""
    probes = [(_test_function, np.array([0.5, -1.0, 2.0]), 1e-5),
              (_test_function, np.array([[0.3, -0.2], [1.5, 0.8]]), 1e-3)]

    def reference(f, theta, h):
        return _numerical_gradient_reference(f, theta, h)

    mistakes = [
        Mistake("That is the one-sided difference (f(θ + h) − f(θ)) / h, with an error of order h. "
                "The central difference (f(θ + h) − f(θ − h)) / (2h) is far more accurate.", _one_sided),
        Mistake("Divide by 2h: θ + h and θ − h are 2h apart.", _central(1)),
        Mistake("Nudge one entry at a time: adding h to every entry at once measures the slope along "
                "the diagonal, not ∂f/∂θ_i.", _all_at_once),
    ]
    analytic = lambda theta: np.sin(theta) * 2 * theta + np.cos(theta) * theta ** 2 + np.sum(theta)  # noqa: E731
    note = (f"With h = 1e-5 it agrees with the exact gradient to "
            f"{_numerical_accuracy(fn, analytic, probes[:1]):.0e}.")
    return _check_function("numerical_gradient", fn, ["f", "theta", "h"], probes, reference, mistakes=mistakes,
                           formula="∂f/∂θ_i ≈ (f(θ + h e_i) − f(θ − h e_i)) / (2h), one entry i at a time",
                           inplace_hint=("After nudging θ_i, put it back: θ must be exactly as it was when you "
                                         "return. (`theta_plus = theta` makes no copy; `theta.copy()` does.)"),
                           rtol=1e-7, atol=1e-8, note=note, quiet=quiet)


def _numerical_accuracy(fn, analytic, probes):
    """Largest error of the learner's numerical gradient against the exact one (nan if it fails)."""
    errors = []
    for f, theta, h in probes:
        got = _quietly(fn, f, theta, h)
        if got is None:
            return float("nan")
        errors.append(np.max(np.abs(np.asarray(got) - analytic(theta))))
    return max(errors)


# ---- helpers shared by the network checks ----------------------------------------

def _net_from(weights, biases, hidden, output):
    """A bpkit MLP holding exactly these weights and biases."""
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    net = MLP(sizes, activation=hidden, output=output)
    net.weights = [np.array(W, dtype=np.float64) for W in weights]
    net.biases = [np.array(b, dtype=np.float64).reshape(-1) for b in biases]
    return net


def _losses_of(got, epochs):
    """The losses a training function returned, as a float array (a list is fine here)."""
    try:
        values = np.asarray(got, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise _Failed(f"`losses` should hold one number per epoch, got {type(got).__name__}") from None
    if len(values) != epochs:
        raise _Failed(f"`losses` should hold one loss per epoch: expected {epochs} numbers, got {len(values)}. "
                      f"Record the loss once per epoch, before that epoch's update.")
    return values


# ---- lesson 04: training one neuron ----------------------------------------------

def _train_neuron_reference(X, y, lr, epochs):
    """bpkit's MLP trained from w = 0, b = 0: (w, b, losses)."""
    net = _net_from([np.zeros((X.shape[1], 1))], [np.zeros(1)], "sigmoid", "sigmoid")
    history = net.fit(X, y, lr=lr, epochs=epochs, loss="mse")
    return net.weights[0], net.biases[0], history.loss


def _train_neuron_model(sign=-1.0, scale_n=True, use_derivative=True, record_after=False):
    """A one-neuron training loop with one deliberate mistake switched on."""
    def model(X, y, lr, epochs):
        n = X.shape[0]
        w, b, history = np.zeros((X.shape[1], 1)), np.zeros(1), []
        for _ in range(epochs):
            a = activations.sigmoid(X @ w + b)
            if not record_after:
                history.append(np.sum((a - y) ** 2) / (2 * n))
            delta = (a - y) / (n if scale_n else 1) * (a * (1 - a) if use_derivative else 1)
            w = w + sign * lr * (X.T @ delta)
            b = b + sign * lr * delta.sum(axis=0)
            if record_after:
                a = activations.sigmoid(X @ w + b)
                history.append(np.sum((a - y) ** 2) / (2 * n))
        return w, b, np.array(history)
    return model


def check_train_neuron(fn, quiet=False):
    """Check ``train_neuron(X, y, lr, epochs)`` → (w, b, losses), starting from w = 0, b = 0."""
    X, y = datasets.and_gate()
    probes = [(X, y, 2.0, 5), (X, y, 2.0, 1000)]
    mistakes = [
        Mistake("Sign error in the update: w ← w − η ∂C/∂w. With + the loss goes *up* every epoch.",
                _train_neuron_model(sign=+1.0)),
        Mistake("The 1/n is missing in the gradient (your steps are n times too large).",
                _train_neuron_model(scale_n=False)),
        Mistake("You forgot the activation's derivative in δ: δ = (a − y)/n ⊙ a(1 − a).",
                _train_neuron_model(use_derivative=False)),
        Mistake("Record the loss *before* each update: losses[0] must be the loss of the starting weights.",
                _train_neuron_model(record_after=True)),
    ]
    names = ["X", "y", "lr", "epochs"]

    def body():
        for args in probes:
            got = _call(fn, names, args)
            if not isinstance(got, (tuple, list)) or len(got) != 3:
                raise _Failed("expected 3 results (w, b, losses). End with `return w, b, losses`.")
            expected = _train_neuron_reference(*args)
            got = (got[0], got[1], _losses_of(got[2], args[3]))
            for index, label in ((2, "losses"), (0, "w"), (1, "b")):
                _compare(label, got[index], expected[index], names, args, mistakes, index,
                         "each epoch: forward, loss, backward, then w ← w − η ∂C/∂w and b ← b − η ∂C/∂b", 1e-5, 1e-8)
        predictions = (activations.sigmoid(X @ got[0] + got[1]) > 0.5).astype(int).ravel()
        return (f"After 1000 epochs at lr = 2 the neuron outputs classes {predictions.tolist()} for AND "
                f"(loss {got[2][-1]:.4f}).")
    return _run("train_neuron", body, quiet)


# ---- lesson 05: a hidden layer, by hand -----------------------------------------

def _two_layer_probes():
    """(X, W1, b1, W2, b2, y): XOR with a 2-2-1 net; square matrices (where a transposed matrix
    gives numbers, not an error); a 3-4-2 net."""
    rng = np.random.default_rng(5)
    X, y = datasets.xor()
    return [
        (X, np.array([[0.5, -0.4], [0.3, 0.8]]), np.array([0.1, -0.2]), np.array([[0.7], [-0.6]]),
         np.array([0.05]), y),
        (rng.normal(size=(4, 3)).round(2), rng.normal(size=(3, 3)).round(2), rng.normal(size=3).round(2),
         rng.normal(size=(3, 3)).round(2), rng.normal(size=3).round(2), rng.uniform(size=(4, 3)).round(2)),
        (rng.normal(size=(5, 3)).round(2), rng.normal(size=(3, 4)).round(2), rng.normal(size=4).round(2),
         rng.normal(size=(4, 2)).round(2), rng.normal(size=2).round(2), rng.uniform(size=(5, 2)).round(2)),
    ]


def _forward_model(T1=False, T2=False, bias=True, act2=True, z_into_layer2=False, f=activations.sigmoid):
    """A 2-layer forward pass with one deliberate mistake switched on."""
    def model(X, W1, b1, W2, b2):
        W1_, W2_ = (W1.T if T1 else W1), (W2.T if T2 else W2)
        z1 = X @ W1_ + (b1 if bias else 0)
        a1 = f(z1)
        z2 = (z1 if z_into_layer2 else a1) @ W2_ + (b2 if bias else 0)
        a2 = f(z2) if act2 else z2
        return z1, a1, z2, a2
    return model


def _forward_reference(X, W1, b1, W2, b2):
    """(z1, a1, z2, a2) from bpkit's MLP, sigmoid in both layers."""
    zs, acts = _net_from([W1, W2], [b1, b2], "sigmoid", "sigmoid").forward_pass(X)
    return zs[0], acts[1], zs[1], acts[2]


def check_forward_2layer(fn, quiet=False):
    """Check ``forward_2layer(X, W1, b1, W2, b2)`` → (z1, a1, z2, a2), sigmoid in both layers."""
    probes = [p[:5] for p in _two_layer_probes()]
    mistakes = [
        Mistake("A weight matrix is transposed: W1 has shape (n_in, n_hidden), so z1 = X @ W1 (no .T).",
                _forward_model(T1=True)),
        Mistake("A weight matrix is transposed: W2 has shape (n_hidden, n_out), so z2 = a1 @ W2 (no .T).",
                _forward_model(T2=True)),
        Mistake("Layer 2 takes the hidden layer's *activations* a1 = σ(z1), not z1.",
                _forward_model(z_into_layer2=True)),
        Mistake("The biases are missing: z = a @ W + b.", _forward_model(bias=False)),
        Mistake("The output layer needs its activation too: a2 = σ(z2).", _forward_model(act2=False)),
        Mistake("Both layers use the sigmoid here, not tanh.", _forward_model(f=np.tanh)),
    ]
    return _check_function("forward_2layer", fn, ["X", "W1", "b1", "W2", "b2"], probes, _forward_reference,
                           outputs=("z1", "a1", "z2", "a2"), mistakes=mistakes,
                           formula="z1 = X W1 + b1, a1 = σ(z1), z2 = a1 W2 + b2, a2 = σ(z2)", quiet=quiet)


def _deltas_reference(y, a1, a2, W2):
    """(δ1, δ2) from bpkit's loss gradient and sigmoid slopes."""
    delta2 = losses.mse_gradient(a2, y) * activations.sigmoid_derivative_from_output(a2)
    delta1 = (delta2 @ W2.T) * activations.sigmoid_derivative_from_output(a1)
    return delta1, delta2


def _deltas_model(n_scale=True, d2=True, d1=True, sign=1.0, transpose=False, elementwise=False,
                  slope=lambda a: a * (1 - a)):
    """The deltas with one deliberate mistake switched on."""
    def model(y, a1, a2, W2):
        delta2 = sign * (a2 - y) / (a2.shape[0] if n_scale else 1) * (slope(a2) if d2 else 1)
        back = delta2 * W2.T if elementwise else delta2 @ (W2 if transpose else W2.T)
        return back * (slope(a1) if d1 else 1), delta2
    return model


def _deltas_probes():
    """(y, a1, a2, W2) from a forward pass on each 2-layer probe."""
    probes = []
    for X, W1, b1, W2, b2, y in _two_layer_probes():
        _, a1, _, a2 = _forward_reference(X, W1, b1, W2, b2)
        probes.append((y, a1, a2, W2))
    return probes


def check_deltas_2layer(fn, quiet=False):
    """Check ``deltas_2layer(y, a1, a2, W2)`` → (delta1, delta2) for sigmoid layers and MSE."""
    s = activations.sigmoid
    mistakes = [
        Mistake("The 1/n is missing: ∂C/∂a2 = (a2 − y)/n.", _deltas_model(n_scale=False)),
        Mistake("You forgot the output activation's derivative in δ2: δ2 = (a2 − y)/n ⊙ a2(1 − a2).",
                _deltas_model(d2=False)),
        Mistake("You forgot the hidden activation's derivative in δ1: δ1 = (δ2 W2ᵀ) ⊙ a1(1 − a1).",
                _deltas_model(d1=False)),
        Mistake("Sign error: ∂C/∂a2 = (a2 − y)/n, not (y − a2)/n.", _deltas_model(sign=-1.0)),
        Mistake("The weight matrix is transposed: δ goes back through W2ᵀ, so δ1 = (δ2 @ W2.T) ⊙ a1(1 − a1).",
                _deltas_model(transpose=True)),
        Mistake("δ2 W2ᵀ is a matrix product (@), not an element-wise one (*): with a single output unit "
                "the two happen to agree, with several they do not.",
                _deltas_model(elementwise=True)),
        Mistake("You took the derivative of the output instead of the input: a1 and a2 are already σ(z), "
                "so σ'(z) = a(1 − a); σ(a)(1 − σ(a)) applies σ twice.",
                _deltas_model(slope=lambda a: s(a) * (1 - s(a)))),
    ]
    return _check_function("deltas_2layer", fn, ["y", "a1", "a2", "W2"], _deltas_probes(), _deltas_reference,
                           outputs=("delta1", "delta2"), mistakes=mistakes,
                           formula="δ2 = (a2 − y)/n ⊙ a2(1 − a2), δ1 = (δ2 W2ᵀ) ⊙ a1(1 − a1)", quiet=quiet)


def _gradients_reference(X, a1, delta1, delta2):
    """(dW1, db1, dW2, db2) = (Xᵀ δ1, Σ δ1, a1ᵀ δ2, Σ δ2)."""
    return X.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)


def _gradients_model(transpose=False, db=lambda d: d.sum(axis=0), dW2_input=None):
    """The weight and bias gradients with one deliberate mistake switched on."""
    def model(X, a1, delta1, delta2):
        dW = (lambda a, d: (d.T @ a)) if transpose else (lambda a, d: a.T @ d)
        return dW(X, delta1), db(delta1), dW(a1 if dW2_input is None else dW2_input(X, a1), delta2), db(delta2)
    return model


def _gradients_probes():
    """(X, a1, δ1, δ2) from the forward and backward pass on each 2-layer probe."""
    probes = []
    for X, W1, b1, W2, b2, y in _two_layer_probes():
        _, a1, _, a2 = _forward_reference(X, W1, b1, W2, b2)
        delta1, delta2 = _deltas_reference(y, a1, a2, W2)
        probes.append((X, a1, delta1, delta2))
    return probes


def check_gradients_2layer(fn, quiet=False):
    """Check ``gradients_2layer(X, a1, delta1, delta2)`` → (dW1, db1, dW2, db2)."""
    mistakes = [
        Mistake("The weight gradient is transposed: ∂C/∂W = (layer input)ᵀ @ δ, with the shape of W.",
                _gradients_model(transpose=True)),
        Mistake("The bias gradient is summed over the wrong axis: add δ up over the samples (axis=0), "
                "one number per unit.", _gradients_model(db=lambda d: d.sum(axis=1))),
        Mistake("The bias gradient should keep one number per unit (shape (n_units,)): sum δ over axis=0, "
                "not over everything.", _gradients_model(db=lambda d: d.sum())),
        Mistake("The bias gradient adds δ up over the samples, it does not average it: the 1/n is already in δ.",
                _gradients_model(db=lambda d: d.mean(axis=0))),
        Mistake("Layer 1's input is X, layer 2's input is a1: dW1 = Xᵀ δ1 and dW2 = a1ᵀ δ2.",
                lambda X, a1, d1, d2: (a1.T @ d1, d1.sum(axis=0), X.T @ d2, d2.sum(axis=0))),
    ]
    return _check_function("gradients_2layer", fn, ["X", "a1", "delta1", "delta2"], _gradients_probes(),
                           _gradients_reference, outputs=("dW1", "db1", "dW2", "db2"), mistakes=mistakes,
                           formula="dW1 = Xᵀ δ1, db1 = Σ_samples δ1, dW2 = a1ᵀ δ2, db2 = Σ_samples δ2", quiet=quiet)


# ---- lesson 06: an MLP that solves XOR ------------------------------------------

def _train_2layer_reference(X, y, W1, b1, W2, b2, lr, epochs):
    """bpkit's MLP (tanh hidden, sigmoid output, MSE) trained from the given start."""
    net = _net_from([W1, W2], [b1, b2], "tanh", "sigmoid")
    history = net.fit(X, y, lr=lr, epochs=epochs, loss="mse")
    return net.weights[0], net.biases[0], net.weights[1], net.biases[1], history.loss


def _train_2layer_model(sign=-1.0, scale_n=True, hidden_slope=lambda a1: 1 - a1 ** 2, out_slope=True,
                        record_after=False, update_W2_first=False):
    """The XOR training loop with one deliberate mistake switched on."""
    def model(X, y, W1, b1, W2, b2, lr, epochs):
        n = X.shape[0]
        history = []

        def loss_now():
            a2 = activations.sigmoid(np.tanh(X @ W1 + b1) @ W2 + b2)
            return np.sum((a2 - y) ** 2) / (2 * n)
        for _ in range(epochs):
            if not record_after:
                history.append(loss_now())
            a1 = np.tanh(X @ W1 + b1)
            a2 = activations.sigmoid(a1 @ W2 + b2)
            delta2 = (a2 - y) / (n if scale_n else 1) * (a2 * (1 - a2) if out_slope else 1)
            W2_for_delta1 = W2 + sign * lr * (a1.T @ delta2) if update_W2_first else W2
            delta1 = (delta2 @ W2_for_delta1.T) * hidden_slope(a1)
            W2 = W2 + sign * lr * (a1.T @ delta2)
            b2 = b2 + sign * lr * delta2.sum(axis=0)
            W1 = W1 + sign * lr * (X.T @ delta1)
            b1 = b1 + sign * lr * delta1.sum(axis=0)
            if record_after:
                history.append(loss_now())
        return W1, b1, W2, b2, np.array(history)
    return model


def xor_start(n_hidden=4, seed=0):
    """The starting weights check_train_xor uses: Xavier-uniform W, zero b, for a 2-n_hidden-1 net."""
    rng = np.random.default_rng(seed)
    return (initializers.xavier(2, n_hidden, rng), np.zeros(n_hidden),
            initializers.xavier(n_hidden, 1, rng), np.zeros(1))


def check_train_xor(fn, quiet=False):
    """Check ``train_xor(X, y, W1, b1, W2, b2, lr, epochs)`` → (W1, b1, W2, b2, losses).

    tanh hidden layer, sigmoid output, MSE, full-batch gradient descent. Compared
    with bpkit on a short run, then it must solve XOR from ``xor_start()``.
    """
    rng = np.random.default_rng(6)
    X, y = datasets.xor()
    probe = (rng.normal(size=(6, 3)).round(2), rng.uniform(size=(6, 2)).round(2),
             rng.normal(size=(3, 3)).round(2), rng.normal(size=3).round(2),
             rng.normal(size=(3, 2)).round(2), rng.normal(size=2).round(2), 0.5, 10)
    names = ["X", "y", "W1", "b1", "W2", "b2", "lr", "epochs"]
    mistakes = [
        Mistake("Sign error in the update: W ← W − η ∂C/∂W. With + the loss goes *up*.",
                _train_2layer_model(sign=+1.0)),
        Mistake("tanh'(z) = 1 − a1², not 1 − a1 (1 − x², not 1 − x).",
                _train_2layer_model(hidden_slope=lambda a1: 1 - a1)),
        Mistake("The hidden layer is tanh, so its slope is 1 − a1²; a1(1 − a1) is the sigmoid's.",
                _train_2layer_model(hidden_slope=lambda a1: a1 * (1 - a1))),
        Mistake("You forgot the hidden activation's derivative in δ1: δ1 = (δ2 W2ᵀ) ⊙ (1 − a1²).",
                _train_2layer_model(hidden_slope=lambda a1: 1.0)),
        Mistake("You forgot the output activation's derivative in δ2: δ2 = (a2 − y)/n ⊙ a2(1 − a2).",
                _train_2layer_model(out_slope=False)),
        Mistake("The 1/n is missing in ∂C/∂a2 = (a2 − y)/n.", _train_2layer_model(scale_n=False)),
        Mistake("Record the loss *before* each update: losses[0] must be the loss of the starting weights.",
                _train_2layer_model(record_after=True)),
        Mistake("δ1 was computed with the *updated* W2. Compute both deltas first, from the W2 that produced "
                "this epoch's outputs, then update the weights.", _train_2layer_model(update_W2_first=True)),
    ]
    order = (4, 0, 1, 2, 3)
    labels = ("W1", "b1", "W2", "b2", "losses")

    def run(args):
        got = _call(fn, names, args)
        if not isinstance(got, (tuple, list)) or len(got) != 5:
            raise _Failed("expected 5 results (W1, b1, W2, b2, losses). End with `return W1, b1, W2, b2, losses`.")
        return tuple(got[:4]) + (_losses_of(got[4], args[-1]),)

    def body():
        got = run(probe)
        expected = _train_2layer_reference(*probe)
        described = ("  a small test problem: X of shape (6, 3), y of shape (6, 2), W1 (3, 3), W2 (3, 2), "
                     "lr = 0.5, epochs = 10")
        for index in order:
            _compare(labels[index], got[index], expected[index], names, probe, mistakes, index,
                     "each epoch: forward, loss, backward (δ2, δ1), then every W ← W − η ∂C/∂W", 1e-5, 1e-8,
                     inputs_text=described)
        start = xor_start()
        got = run((X, y) + start + (1.0, 2000))
        outputs = activations.sigmoid(np.tanh(X @ got[0] + got[1]) @ got[2] + got[3])
        predictions = (outputs > 0.5).astype(int)
        if not np.array_equal(predictions, y.astype(int)):
            raise _Failed(f"it matches bpkit on a short run, but from xor_start() with lr = 1.0 and 2000 epochs "
                          f"it predicts {predictions.ravel().tolist()} instead of {y.astype(int).ravel().tolist()}.")
        return (f"From xor_start(), 2000 epochs at lr = 1.0 solve XOR: outputs "
                f"{np.round(outputs.ravel(), 3).tolist()}, final loss {got[4][-1]:.2e}.")
    return _run("train_xor", body, quiet)


# ---- lesson 07: when training goes wrong ------------------------------------------

def check_xavier(fn, quiet=False):
    """Check ``xavier(n_in, n_out, rng)``: rng.uniform(−L, L, size=(n_in, n_out)), L = √(6/(n_in + n_out))."""
    shapes = [(3, 5), (4, 1), (200, 300)]
    names = ["n_in", "n_out", "rng"]
    uniform = lambda scale: lambda n_in, n_out, rng: rng.uniform(-scale(n_in, n_out), scale(n_in, n_out),  # noqa: E731
                                                                 size=(n_in, n_out))
    mistakes = [
        Mistake("The limit uses fan-in *and* fan-out: L = √(6 / (n_in + n_out)), not √(6 / n_in).",
                uniform(lambda i, o: np.sqrt(6 / i))),
        Mistake("The limit is √(6 / (n_in + n_out)); √(1 / n_in) is the older LeCun-style scale.",
                uniform(lambda i, o: np.sqrt(1 / i))),
        Mistake("The square root covers the whole fraction: L = √(6 / (n_in + n_out)), not √6 / (n_in + n_out).",
                uniform(lambda i, o: np.sqrt(6) / (i + o))),
        Mistake("The limit is √(6 / (n_in + n_out)), with the square root.", uniform(lambda i, o: 6 / (i + o))),
        Mistake("That is Xavier *normal* (Gaussian with variance 2/(n_in + n_out)); this task asks for the "
                "uniform version, rng.uniform(−L, L, ...).",
                lambda i, o, rng: rng.normal(0, np.sqrt(2 / (i + o)), size=(i, o))),
        Mistake("The weight matrix has shape (n_in, n_out): one row per input, one column per unit.",
                lambda i, o, rng: rng.uniform(-np.sqrt(6 / (i + o)), np.sqrt(6 / (i + o)), size=(o, i))),
    ]

    def body():
        for n_in, n_out in shapes:
            rng = np.random.default_rng(7)
            state = rng.bit_generator.state
            got = _call(fn, names, (n_in, n_out, rng))
            expected = initializers.xavier(n_in, n_out, np.random.default_rng(7))
            if _close(got, expected):
                continue
            if rng.bit_generator.state == state and got is not None:
                raise _Failed("the generator `rng` you were given was not used. Draw the numbers with "
                              "rng.uniform(...), not np.random..., so that the same seed gives the same weights.")
            models = [Mistake(m.hint, lambda i, o, _, model=m.model: model(i, o, np.random.default_rng(7)))
                      for m in mistakes]
            _compare("W", got, expected, names, (n_in, n_out, rng), models,
                     formula="W = rng.uniform(−L, L, size=(n_in, n_out)) with L = √(6 / (n_in + n_out))")
        return "The limit is √(6 / (n_in + n_out)) and the same seed gives the same weights."

    def fallback_body():
        # numbers drawn differently from rng.uniform can still be right: check the distribution
        try:
            return body()
        except _Failed as failure:
            big = _quietly(fn, 200, 300, np.random.default_rng(8))
            limit = np.sqrt(6 / 500)
            if (isinstance(big, np.ndarray) and big.shape == (200, 300) and np.abs(big).max() <= limit
                    and abs(big.std() - limit / np.sqrt(3)) < 0.02 * limit and abs(big.mean()) < 0.01 * limit
                    and "not used" not in str(failure) and "shape" not in str(failure)):
                return ("Your numbers are not exactly rng.uniform(−L, L, size=(n_in, n_out)), but they have the "
                        "right range and spread.")
            raise
    return _run("xavier", fallback_body, quiet)


def check_momentum_step(fn, quiet=False):
    """Check ``momentum_step(theta, velocity, grad, lr, beta)`` → (theta, velocity): v ← βv − η g, θ ← θ + v."""
    probes = [(np.array([1.0, -2.0, 0.5]), np.array([0.2, 0.0, -0.1]), np.array([0.4, -0.1, 2.0]), 0.1, 0.9),
              (np.array([[0.3, -0.7], [1.5, 0.0]]), np.array([[0.05, -0.02], [0.0, 0.1]]),
               np.array([[-1.0, 2.0], [0.5, 0.25]]), 0.5, 0.8)]
    names = ["theta", "velocity", "grad", "lr", "beta"]

    def reference(theta, velocity, grad, lr, beta):
        from .optimizers import Momentum
        optimizer = Momentum(lr, beta)
        optimizer.velocities = [velocity.copy()]
        theta = theta.copy()
        optimizer.step([theta], [grad])
        return theta, optimizer.velocities[0]

    mistakes = [
        Mistake("Sign error: v ← βv − η g (the velocity points downhill), then θ ← θ + v.",
                lambda t, v, g, lr, b: (t + (b * v + lr * g), b * v + lr * g)),
        Mistake("Sign error in the update: with v ← βv − η g the step is θ ← θ + v (v already points downhill).",
                lambda t, v, g, lr, b: (t - (b * v - lr * g), b * v - lr * g)),
        Mistake("Update θ with the *new* velocity: first v ← βv − η g, then θ ← θ + v.",
                lambda t, v, g, lr, b: (t + v, b * v - lr * g)),
        Mistake("β is missing: v ← βv − η g, so old velocity fades by the factor β each step.",
                lambda t, v, g, lr, b: (t + (v - lr * g), v - lr * g)),
        Mistake("That is the 'exponential average' form v ← βv + (1 − β) g, θ ← θ − η v; this task uses "
                "v ← βv − η g, θ ← θ + v.",
                lambda t, v, g, lr, b: (t - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g)),
        Mistake("θ moves by the new velocity, θ ← θ + v, not by −η g alone: that is plain gradient descent, "
                "and the velocity never acts.", lambda t, v, g, lr, b: (t - lr * g, b * v - lr * g)),
    ]
    return _check_function("momentum_step", fn, names, probes, reference, outputs=("theta", "velocity"),
                           mistakes=mistakes, formula="v ← βv − η g, then θ ← θ + v", quiet=quiet)


def check_standardize(fn, quiet=False):
    """Check ``standardize(X)``: (X − mean) / std column by column (per feature)."""
    rng = np.random.default_rng(9)
    probes = [(rng.normal(3.0, 2.0, size=(6, 3)).round(2),), (np.array([[1.0, 100.0], [2.0, 300.0], [3.0, 200.0],
                                                                        [6.0, 400.0]]),)]
    mistakes = [
        Mistake("The mean and standard deviation are taken over the wrong axis: one per feature (column), "
                "so use axis=0.", lambda X: (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)),
        Mistake("The mean and standard deviation are taken over the wrong axis: one per feature (column), "
                "so use axis=0.", lambda X: (X - X.mean(axis=1)) / X.std(axis=1)),
        Mistake("Use one mean and one standard deviation per feature (axis=0), not one for the whole array.",
                lambda X: (X - X.mean()) / X.std()),
        Mistake("Divide by the standard deviation, not the variance.", lambda X: (X - X.mean(0)) / X.var(0)),
        Mistake("That standard deviation divides by n − 1 (ddof=1, the sample estimate); use NumPy's default "
                "X.std(axis=0), which divides by n, so that every column ends with standard deviation 1.",
                lambda X: (X - X.mean(0)) / X.std(0, ddof=1)),
        Mistake("Subtract the mean before dividing: (X − mean) / std.", lambda X: X - X.mean(0) / X.std(0)),
        Mistake("Divide by the standard deviation too: (X − mean) / std.", lambda X: X - X.mean(0)),
    ]
    return _check_function("standardize", fn, ["X"], probes, lambda X: datasets.standardize(X)[0],
                           mistakes=mistakes, formula="X_new = (X − X.mean(axis=0)) / X.std(axis=0)", quiet=quiet)


CHECKS = {name: obj for name, obj in globals().items() if name.startswith("check_")}
