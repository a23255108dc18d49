"""bpkit.checks: correct code passes, unfinished code is "not implemented yet",
and a catalogue of deliberately wrong implementations is flagged — with the
specific hint wherever the check can recognise the mistake."""
import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import bpkit
from bpkit import activations as act
from bpkit import checks
from bpkit import losses

sigma = act.sigmoid

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_exercises  # noqa: E402


# ---- correct implementations (written independently of bpkit where it is short) --------------------

def good_neuron(X, w, b):
    return sigma(X @ w + b)


def good_neuron_gradient(X, y, w, b):
    a = sigma(X @ w + b)
    delta = (a - y) / len(X) * a * (1 - a)
    return X.T @ delta, delta.sum(axis=0)


def good_numerical_gradient(f, theta, h=1e-5):
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + h
        plus = f(theta)
        theta[i] = old - h
        minus = f(theta)
        theta[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def good_train_neuron(X, y, lr, epochs):
    n, w, b, history = len(X), np.zeros((X.shape[1], 1)), np.zeros(1), []
    for _ in range(epochs):
        a = sigma(X @ w + b)
        history.append(np.sum((a - y) ** 2) / (2 * n))
        delta = (a - y) / n * a * (1 - a)
        w, b = w - lr * X.T @ delta, b - lr * delta.sum(axis=0)
    return w, b, history


def good_forward(X, W1, b1, W2, b2):
    z1 = X @ W1 + b1
    a1 = sigma(z1)
    z2 = a1 @ W2 + b2
    return z1, a1, z2, sigma(z2)


def good_deltas(y, a1, a2, W2):
    delta2 = (a2 - y) / len(y) * a2 * (1 - a2)
    return (delta2 @ W2.T) * a1 * (1 - a1), delta2


def good_gradients(X, a1, delta1, delta2):
    return X.T @ delta1, delta1.sum(axis=0), a1.T @ delta2, delta2.sum(axis=0)


def train_xor_with(hidden_slope=lambda a1: 1 - a1 ** 2, sign=-1.0, in_place=False):
    def train(X, y, W1, b1, W2, b2, lr, epochs):
        n, history = len(X), []
        for _ in range(epochs):
            a1 = np.tanh(X @ W1 + b1)
            a2 = sigma(a1 @ W2 + b2)
            history.append(np.sum((a2 - y) ** 2) / (2 * n))
            delta2 = (a2 - y) / n * a2 * (1 - a2)
            delta1 = (delta2 @ W2.T) * hidden_slope(a1)
            steps = [sign * lr * g for g in (X.T @ delta1, delta1.sum(0), a1.T @ delta2, delta2.sum(0))]
            if in_place:
                for p, s in zip((W1, b1, W2, b2), steps):
                    p += s
            else:
                W1, b1, W2, b2 = (p + s for p, s in zip((W1, b1, W2, b2), steps))
        return W1, b1, W2, b2, history
    return train


def good_xavier(n_in, n_out, rng):
    limit = np.sqrt(6 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def good_momentum(theta, velocity, grad, lr, beta=0.9):
    velocity = beta * velocity - lr * grad
    return theta + velocity, velocity


CORRECT = [
    ("check_sigmoid", act.sigmoid),
    ("check_sigmoid_derivative", lambda z: sigma(z) * (1 - sigma(z))),
    ("check_tanh_derivative", lambda z: 1 - np.tanh(z) ** 2),
    ("check_relu", lambda z: np.where(z > 0, z, 0.0)),
    ("check_relu_derivative", lambda z: (z > 0) * 1.0),
    ("check_neuron", good_neuron),
    ("check_mse", lambda a, y: 0.5 * np.mean(np.sum((a - y) ** 2, axis=1))),
    ("check_mse_gradient", losses.mse_gradient),
    ("check_bce", losses.bce),
    ("check_gd_step", lambda theta, grad, lr: theta - lr * grad),
    ("check_neuron_gradient", good_neuron_gradient),
    ("check_numerical_gradient", good_numerical_gradient),
    ("check_train_neuron", good_train_neuron),
    ("check_forward_2layer", good_forward),
    ("check_deltas_2layer", good_deltas),
    ("check_gradients_2layer", good_gradients),
    ("check_train_xor", train_xor_with()),
    ("check_xavier", good_xavier),
    ("check_xavier", lambda n_in, n_out, rng: (2 * rng.random((n_out, n_in)).T - 1) * np.sqrt(6 / (n_in + n_out))),
    ("check_momentum_step", good_momentum),
    ("check_standardize", lambda X: (X - X.mean(axis=0)) / X.std(axis=0)),
]


@pytest.mark.parametrize("check, fn", CORRECT, ids=[f"{c}-{i}" for i, (c, _) in enumerate(CORRECT)])
def test_correct_code_passes(check, fn, capsys):
    result = getattr(checks, check)(fn)
    assert result.passed, result.message
    assert result.status == "passed"
    printed = capsys.readouterr().out
    assert printed.startswith("✔") and printed.strip() == result.message


def test_every_check_is_covered_by_a_correct_implementation():
    assert {c for c, _ in CORRECT} == set(checks.CHECKS)


# ---- unfinished code ----------------------------------------------------------------------

def unfinished(*args, **kwargs):
    raise NotImplementedError()


@pytest.mark.parametrize("check", sorted(checks.CHECKS))
def test_unfinished_code_is_not_implemented_yet_without_a_traceback(check, capsys):
    result = checks.CHECKS[check](unfinished)
    assert result.status == "not implemented" and not result.passed
    printed = capsys.readouterr().out
    assert "not implemented yet" in printed
    assert "Traceback" not in printed and "NotImplementedError()" in printed


def test_a_task_that_calls_an_unfinished_task_names_it(capsys):
    def sigmoid(z):
        raise NotImplementedError()

    def sigmoid_derivative(z):
        return sigmoid(z) * (1 - sigmoid(z))
    result = checks.check_sigmoid_derivative(sigmoid_derivative)
    assert result.status == "not implemented"
    assert "it calls `sigmoid`" in result.message


# ---- the catalogue of mistakes -------------------------------------------------------------

def relu_in_place(z):
    z[z < 0] = 0
    return z


def gd_step_in_place(theta, grad, lr):
    theta -= lr * grad
    return theta


def numerical_gradient_not_restoring(f, theta, h=1e-5):
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        old = theta[i]
        theta[i] = old + h
        plus = f(theta)
        theta[i] = old - h
        grad[i] = (plus - f(theta)) / (2 * h)
    return grad


def numerical_gradient_one_sided(f, theta, h=1e-5):
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        grad[i] = (f(theta + step) - f(theta)) / h
    return grad


def numerical_gradient_over_h(f, theta, h=1e-5):
    return good_numerical_gradient(f, theta, h) * 2


def neuron_gradient_with(delta_of, db_of=lambda d: d.sum(axis=0)):
    def gradient(X, y, w, b):
        z = X @ w + b
        a = sigma(z)
        delta = delta_of(a, y, z, len(X))
        return X.T @ delta, db_of(delta)
    return gradient


def train_neuron_with(sign=-1.0, record_after=False, scale_n=True):
    def train(X, y, lr, epochs):
        n, w, b, history = len(X), np.zeros((X.shape[1], 1)), np.zeros(1), []
        for _ in range(epochs):
            a = sigma(X @ w + b)
            if not record_after:
                history.append(np.sum((a - y) ** 2) / (2 * n))
            delta = (a - y) / (n if scale_n else 1) * a * (1 - a)
            w, b = w + sign * lr * X.T @ delta, b + sign * lr * delta.sum(axis=0)
            if record_after:
                history.append(np.sum((sigma(X @ w + b) - y) ** 2) / (2 * n))
        return w, b, history
    return train


def deltas_with(n_scale=True, d1=True, transpose=False, elementwise=False, slope=lambda a: a * (1 - a)):
    def deltas(y, a1, a2, W2):
        delta2 = (a2 - y) / (len(y) if n_scale else 1) * slope(a2)
        back = delta2 * W2.T if elementwise else delta2 @ (W2 if transpose else W2.T)
        return back * (slope(a1) if d1 else 1), delta2
    return deltas


def forward_transposed(X, W1, b1, W2, b2):
    return good_forward(X, W1.T, b1, W2, b2)


def forward_z_into_layer2(X, W1, b1, W2, b2):
    z1 = X @ W1 + b1
    z2 = z1 @ W2 + b2
    return z1, sigma(z1), z2, sigma(z2)


def xavier_global_state(n_in, n_out, rng):
    limit = np.sqrt(6 / (n_in + n_out))
    return np.random.default_rng().uniform(-limit, limit, size=(n_in, n_out))


def momentum_in_place(theta, velocity, grad, lr, beta=0.9):
    velocity *= beta
    velocity -= lr * grad
    return theta + velocity, velocity


def numerical_gradient_aliased(f, theta, h=1e-5):
    grad = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        theta_plus = theta            # not a copy: nudges theta itself
        theta_plus[i] += h
        theta_minus = theta.copy()
        theta_minus[i] -= h
        grad[i] = (f(theta_plus) - f(theta_minus)) / (2 * h)
    return grad


def train_xor_updating_W2_before_delta1(X, y, W1, b1, W2, b2, lr, epochs):
    n, history = len(X), []
    for _ in range(epochs):
        a1 = np.tanh(X @ W1 + b1)
        a2 = sigma(a1 @ W2 + b2)
        history.append(np.sum((a2 - y) ** 2) / (2 * n))
        delta2 = (a2 - y) / n * a2 * (1 - a2)
        W2, b2 = W2 - lr * a1.T @ delta2, b2 - lr * delta2.sum(0)
        delta1 = (delta2 @ W2.T) * (1 - a1 ** 2)
        W1, b1 = W1 - lr * X.T @ delta1, b1 - lr * delta1.sum(0)
    return W1, b1, W2, b2, history


def sigmoid_with_math_exp(z):
    import math
    return 1 / (1 + math.exp(-z))


def sigmoid_with_if(z):
    if z >= 0:
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))


def sigmoid_no_return(z):
    1 / (1 + np.exp(-z))


def sigmoid_typo(z):
    return 1 / (1 + np.exp(-zz))  # noqa: F821  (a NameError on purpose)


# (check, wrong implementation, the words the message must contain) — the first words of each
# entry name the mistake in the list where there is one.
CATALOGUE = [
    # derivative of the output instead of the input, and the reverse
    ("check_sigmoid_derivative", lambda z: z * (1 - z), "takes the sigmoid's *output*"),
    ("check_tanh_derivative", lambda z: 1 - z ** 2, "takes the *output* a = tanh(z)"),
    ("check_neuron_gradient", neuron_gradient_with(lambda a, y, z, n: (a - y) / n * sigma(a) * (1 - sigma(a))),
     "derivative at the output instead of the input"),
    ("check_neuron_gradient", neuron_gradient_with(lambda a, y, z, n: (a - y) / n * z * (1 - z)),
     "takes the *output* a = σ(z), not z"),
    ("check_deltas_2layer", deltas_with(slope=lambda a: sigma(a) * (1 - sigma(a))),
     "derivative of the output instead of the input"),
    # a sign error in the update
    ("check_gd_step", lambda theta, grad, lr: theta + lr * grad, "Sign error in the update"),
    ("check_train_neuron", train_neuron_with(sign=+1.0), "Sign error in the update"),
    ("check_train_xor", train_xor_with(sign=+1.0), "Sign error in the update"),
    ("check_momentum_step", lambda t, v, g, lr, b: (t + b * v + lr * g, b * v + lr * g), "Sign error"),
    ("check_mse_gradient", lambda a, y: (y - a) / len(a), "Sign error"),
    # a missing 1/n
    ("check_mse", lambda a, y: np.sum((y - a) ** 2) / 2, "The 1/n is missing"),
    ("check_mse_gradient", lambda a, y: a - y, "The 1/n is missing"),
    ("check_neuron_gradient", neuron_gradient_with(lambda a, y, z, n: (a - y) * a * (1 - a)), "The 1/n is missing"),
    ("check_deltas_2layer", deltas_with(n_scale=False), "The 1/n is missing"),
    ("check_train_neuron", train_neuron_with(scale_n=False), "The 1/n is missing"),
    ("check_bce", lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)), "The 1/n is missing"),
    # a transposed weight matrix
    ("check_forward_2layer", forward_transposed, "A weight matrix is transposed"),
    ("check_forward_2layer", lambda X, W1, b1, W2, b2: good_forward(X, W1, b1, W2.T, b2), "so z2 = a1 @ W2"),
    ("check_deltas_2layer", deltas_with(transpose=True), "The weight matrix is transposed"),
    ("check_gradients_2layer", lambda X, a1, d1, d2: (d1.T @ X, d1.sum(0), d2.T @ a1, d2.sum(0)),
     "transpose"),
    # the bias gradient summed over the wrong axis
    ("check_gradients_2layer", lambda X, a1, d1, d2: (X.T @ d1, d1.sum(1), a1.T @ d2, d2.sum(1)),
     "summed over the wrong axis"),
    ("check_neuron_gradient", neuron_gradient_with(lambda a, y, z, n: (a - y) / n * a * (1 - a),
                                                   db_of=lambda d: d.sum(axis=1)), "summed over the wrong axis"),
    ("check_gradients_2layer", lambda X, a1, d1, d2: (X.T @ d1, d1.mean(0), a1.T @ d2, d2.mean(0)),
     "does not average it"),
    # forgetting the activation's derivative in a delta
    ("check_deltas_2layer", deltas_with(d1=False), "forgot the hidden activation's derivative"),
    ("check_neuron_gradient", neuron_gradient_with(lambda a, y, z, n: (a - y) / n),
     "forgot the activation's derivative"),
    ("check_train_xor", train_xor_with(hidden_slope=lambda a1: 1.0), "forgot the hidden activation's derivative"),
    # tanh' written as 1 − x instead of 1 − x²
    ("check_tanh_derivative", lambda z: 1 - np.tanh(z), "1 − x², not 1 − x"),
    ("check_train_xor", train_xor_with(hidden_slope=lambda a1: 1 - a1), "not 1 − a1 (1 − x², not 1 − x)"),
    ("check_train_xor", train_xor_with(hidden_slope=lambda a1: a1 * (1 - a1)), "is the sigmoid's"),
    # overflow for large inputs
    ("check_sigmoid", lambda z: 1 / (1 + np.exp(-z)), "overflow encountered in exp"),
    ("check_sigmoid_derivative", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "too big for a float"),
    ("check_bce", lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(a), "Clip a into"),
    # wrong output shape, with the expected and the given shape
    ("check_neuron", lambda X, w, b: sigma(X @ w.ravel() + b), "expected (4, 1), got (4,)"),
    ("check_mse_gradient", lambda a, y: (a - y.ravel()) / len(a), "broadcast them"),
    ("check_gradients_2layer", lambda X, a1, d1, d2: (X.T @ d1, d1.sum(0, keepdims=True), a1.T @ d2,
                                                      d2.sum(0, keepdims=True)), "expected (2,), got (1, 2)"),
    ("check_xavier", lambda n_in, n_out, rng: good_xavier(n_out, n_in, rng), "shape (n_in, n_out)"),
    # returning a list instead of an array
    ("check_sigmoid", lambda z: [float(v) for v in sigma(z).ravel()], "is a Python list"),
    ("check_relu", lambda z: [max(0.0, v) for v in z], "is a Python list"),
    # modifying the input in place
    ("check_relu", relu_in_place, "modified its input `z` in place"),
    ("check_gd_step", gd_step_in_place, "modified its input `theta` in place"),
    ("check_momentum_step", momentum_in_place, "modified its input `velocity` in place"),
    ("check_train_xor", train_xor_with(in_place=True), "modified its input `W1` in place"),
    ("check_numerical_gradient", numerical_gradient_not_restoring, "put it back"),
    ("check_numerical_gradient", numerical_gradient_aliased, "`theta_plus = theta` makes no copy"),
    # more mistakes with a name
    ("check_relu", lambda z: np.max(z), "np.maximum compares"),
    ("check_relu_derivative", lambda z: (z >= 0).astype(float), "At the kink z = 0"),
    ("check_sigmoid", lambda z: 1 / (1 + np.exp(np.clip(z, -500, 500))), "the sign in the exponent is flipped"),
    ("check_sigmoid", sigmoid_no_return, "Did you forget `return`"),
    ("check_neuron", lambda X, w, b: X @ w + b, "apply the activation"),
    ("check_mse", lambda a, y: np.sum((y - a) ** 2) / len(a), "The ½ is missing"),
    ("check_mse", lambda a, y: np.mean((y - a) ** 2) / 2, "divided by the number of entries"),
    ("check_bce", lambda a, y: losses.bce(a, y) * -1, "The minus sign is missing"),
    ("check_numerical_gradient", numerical_gradient_one_sided, "one-sided difference"),
    ("check_numerical_gradient", numerical_gradient_over_h, "Divide by 2h"),
    ("check_train_neuron", train_neuron_with(record_after=True), "Record the loss *before* each update"),
    ("check_forward_2layer", forward_z_into_layer2, "not z1"),
    ("check_deltas_2layer", deltas_with(elementwise=True), "not an element-wise one"),
    ("check_xavier", lambda n_in, n_out, rng: rng.uniform(-np.sqrt(6 / n_in), np.sqrt(6 / n_in), size=(n_in, n_out)),
     "fan-in *and* fan-out"),
    ("check_xavier", xavier_global_state, "`rng` you were given was not used"),
    ("check_momentum_step", lambda t, v, g, lr, b: (t + v, b * v - lr * g), "with the *new* velocity"),
    ("check_momentum_step", lambda t, v, g, lr, b: (t - lr * (b * v + (1 - b) * g), b * v + (1 - b) * g),
     "'exponential average' form"),
    ("check_standardize", lambda X: (X - X.mean(axis=1)) / X.std(axis=1), "over the wrong axis"),
    ("check_standardize", lambda X: (X - X.mean()) / X.std(), "not one for the whole array"),
    ("check_standardize", lambda X: (X - X.mean(0)) / X.std(0, ddof=1), "divides by n − 1"),
    ("check_sigmoid_derivative", lambda z: sigma(z) * (1 - z), "both factors use σ(z)"),
    ("check_momentum_step", lambda t, v, g, lr, b: (t - lr * g, b * v - lr * g), "the velocity never acts"),
    ("check_train_xor", train_xor_updating_W2_before_delta1, "computed with the *updated* W2"),
    # results right but returned in another order (any check with several results)
    ("check_deltas_2layer", lambda y, a1, a2, W2: good_deltas(y, a1, a2, W2)[::-1],
     "you returned them as (delta2, delta1)"),
    ("check_gradients_2layer", lambda X, a1, d1, d2: (X.T @ d1, a1.T @ d2, d1.sum(0), d2.sum(0)),
     "End with `return dW1, db1, dW2, db2`"),
    ("check_momentum_step", lambda t, v, g, lr, b: good_momentum(t, v, g, lr, b)[::-1], "in the wrong order"),
    # a returned number where an array belongs
    ("check_mse_gradient", lambda a, y: np.mean(a - y), "You returned a single number"),
    # no recognisable mistake: an input where the answer differs, expected vs got
    ("check_sigmoid", lambda z: 0.5 + z / 4, "expected sigmoid(z) = "),
    ("check_gradients_2layer", lambda X, a1, d1, d2: (X.T @ d1 * 1.1, d1.sum(0), a1.T @ d2, d2.sum(0)),
     "expected dW1 = "),
    ("check_sigmoid", sigmoid_typo, "raised NameError"),
    # a crash with a NumPy message a learner often meets: the message explains it
    ("check_sigmoid", sigmoid_with_math_exp, "use np.exp"),
    ("check_sigmoid", sigmoid_with_if, "need a single True/False"),
    ("check_forward_2layer", lambda X, W1, b1, W2, b2: good_forward(W1, X, b1, W2, b2),
     "the number of columns of A must equal the number of rows of B"),
]

CRASH_HINTS = ("use np.exp", "need a single True/False", "the number of columns of A")
SPECIFIC = [entry for entry in CATALOGUE if not entry[2].startswith(("expected ", "raised") + CRASH_HINTS)]


@pytest.mark.parametrize("check, wrong, words", CATALOGUE, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CATALOGUE)])
def test_mistake_is_flagged_with_its_hint(check, wrong, words, capsys):
    result = getattr(checks, check)(wrong)
    assert result.status == "failed" and not result.passed
    assert result.message.startswith("✘")
    assert words in result.message, result.message
    assert "Traceback" not in result.message
    assert capsys.readouterr().out.strip() == result.message


def test_catalogue_holds_at_least_15_distinct_recognised_mistakes():
    distinct_hints = {words for _, _, words in SPECIFIC}
    assert len(distinct_hints) >= 15
    assert len({check for check, _, _ in SPECIFIC}) == len(checks.CHECKS)   # every check recognises something


def test_an_unrecognised_mistake_shows_the_input_expected_and_got():
    message = checks.check_sigmoid(lambda z: 0.5 + z / 4, quiet=True).message
    assert "on the input" in message and "z = " in message
    assert "expected sigmoid(z) = " in message and "got      sigmoid(z) = " in message


def test_a_crash_is_reported_with_the_line_not_a_traceback():
    message = checks.check_sigmoid(sigmoid_typo, quiet=True).message
    assert "name 'zz' is not defined" in message and "of sigmoid_typo" in message
    assert "Traceback" not in message


def code_line(line):
    """A line of reference code worth looking for in a message ('' if too short or too generic):
    comments dropped, the expression of a `return` kept, a bare tuple of names skipped."""
    line = line.split("#")[0].strip()
    if line.startswith("return "):
        line = line[len("return "):]
    if line.startswith(('"""', "def ")) or "(" not in line or len(line) < 14:
        return ""
    return line


def reference_lines():
    """Lines of bpkit's reference functions and of the solution notebooks' answers: no message may show one."""
    sources = [act.sigmoid, act.sigmoid_derivative, act.tanh_derivative, act.relu, losses.mse, losses.bce,
               losses.mse_gradient, bpkit.initializers.xavier, bpkit.optimizers.Momentum.step,
               bpkit.network.MLP.backward_pass, bpkit.network.MLP.forward_pass, bpkit.datasets.standardize]
    lines = [code_line(line) for fn in sources for line in inspect.getsource(fn).split("\n")]
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for region in make_exercises.solution_text("".join(cell["source"])):
                lines += [code_line(line) for line in region.split("\n")]
    return set(lines) - {""}


def test_no_message_shows_the_reference_code():
    lines = reference_lines()
    assert len(lines) > 40
    assert "1 / (1 + e)" in " ".join(lines)      # the sigmoid's solution line is among them
    everything = [(check, wrong) for check, wrong, _ in CATALOGUE] + CORRECT
    for check, fn in everything + [(check, unfinished) for check in checks.CHECKS]:
        message = getattr(checks, check)(fn, quiet=True).message
        leaked = [line for line in lines if line in message]
        assert not leaked, f"{check} shows reference code: {leaked}"


def test_quiet_prints_nothing(capsys):
    result = checks.check_relu(act.relu, quiet=True)
    assert result.passed and capsys.readouterr().out == ""


def test_result_repr_is_short_and_str_is_the_message():
    result = checks.check_relu(act.relu, quiet=True)
    assert repr(result) == "CheckResult(task='relu', status='passed')"
    assert str(result) == result.message


def test_checks_leave_numpy_global_state_and_error_settings_alone():
    settings = np.geterr()
    state = np.random.get_state()[1].copy()
    checks.check_sigmoid(lambda z: 1 / (1 + np.exp(-z)), quiet=True)
    checks.check_xavier(good_xavier, quiet=True)
    assert np.geterr() == settings
    assert np.array_equal(np.random.get_state()[1], state)


def test_a_non_function_is_refused_clearly():
    message = checks.check_relu(np.array([1.0]), quiet=True).message
    assert "expected a function, got ndarray" in message


def test_importing_checks_does_not_import_matplotlib():
    code = "import sys, bpkit.checks; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
