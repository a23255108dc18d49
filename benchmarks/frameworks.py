"""One network, three frameworks: bpkit, PyTorch and micrograd, trained the same way.

Every trainer here starts from the *same* weights (those of
``bpkit.MLP(sizes, seed=0)``), sees the same float64 data, uses the same loss
C = 1/(2n) Σ (a − y)², tanh hidden units, a sigmoid output and full-batch
gradient descent with the same learning rate. ``run(epochs)`` trains a fresh
copy for that many epochs and returns the loss at the start of every epoch,
so the three can be checked against each other before they are timed.
"""

import math

import numpy as np

import bpkit


class BpkitTrainer:
    """``bpkit.MLP.fit`` as a learner calls it (plain full-batch gradient descent goes
    through the fused path of ``bpkit/_fast.py``)."""
    name = "bpkit"

    def __init__(self, net, X, y, lr):
        self.net, self.X, self.y, self.lr = net, X, y, lr

    def run(self, epochs):
        net = self.net.copy()
        history = net.fit(self.X, self.y, lr=self.lr, epochs=epochs, loss="mse")
        self.trained = net
        return list(history.loss)

    def parameters(self):
        return [p.copy() for p in self.trained.parameters()]


class BpkitReadableTrainer(BpkitTrainer):
    """``MLP.fit(..., fast=False)``: the readable loop of ``bpkit/training.py``, one
    NumPy call per line of the math (the same numbers as the fused path, up to rounding)."""
    name = "bpkit readable"

    def run(self, epochs):
        net = self.net.copy()
        history = net.fit(self.X, self.y, lr=self.lr, epochs=epochs, loss="mse", fast=False)
        self.trained = net
        return list(history.loss)


class TorchTrainer:
    """PyTorch as a learner would write it: ``nn.Sequential``, ``optim.SGD``, ``loss.backward()``."""

    def __init__(self, net, X, y, lr, threads):
        import torch
        self.torch, self.threads = torch, threads
        self.name = f"torch ({threads} thread{'s' if threads != 1 else ''})"
        self.start_weights = [(W.copy(), b.copy()) for W, b in zip(net.weights, net.biases)]
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)
        self.lr = lr

    def model(self):
        nn, torch = self.torch.nn, self.torch
        layers = []
        for l, (W, b) in enumerate(self.start_weights):
            linear = nn.Linear(*W.shape, dtype=torch.float64)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(W.T))     # torch keeps (n_out, n_in)
                linear.bias.copy_(torch.from_numpy(b))
            layers += [linear, nn.Sigmoid() if l == len(self.start_weights) - 1 else nn.Tanh()]
        return nn.Sequential(*layers)

    def run(self, epochs):
        torch = self.torch
        torch.set_num_threads(self.threads)
        model = self.model()
        optimizer = torch.optim.SGD(model.parameters(), lr=self.lr)
        losses = []
        for _ in range(epochs):
            optimizer.zero_grad()
            loss = 0.5 * torch.nn.functional.mse_loss(model(self.X), self.y)   # 1/(2n) Σ (a − y)²
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        self.trained = model
        return losses

    def parameters(self):
        linears = [m for m in self.trained if isinstance(m, self.torch.nn.Linear)]
        return [p for m in linears for p in (m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy())]


def add_micrograd_activations(Value):
    """micrograd 0.1.0's Value has relu only: add tanh and sigmoid, each with its
    backward step, in micrograd's own style (here, not in the installed package)."""
    if not hasattr(Value, "tanh"):
        def tanh(self):
            t = math.tanh(self.data)
            out = Value(t, (self,), "tanh")

            def _backward():
                self.grad += (1 - t * t) * out.grad
            out._backward = _backward
            return out
        Value.tanh = tanh
    if not hasattr(Value, "sigmoid"):
        def sigmoid(self):
            z = self.data       # the overflow-free form, as bpkit.activations.sigmoid
            s = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
            out = Value(s, (self,), "sigmoid")

            def _backward():
                self.grad += s * (1 - s) * out.grad
            out._backward = _backward
            return out
        Value.sigmoid = sigmoid


class MicrogradTrainer:
    """micrograd 0.1.0 (scalar autograd): one ``Value`` per number, a graph per epoch."""
    name = "micrograd"

    def __init__(self, net, X, y, lr):
        from micrograd.engine import Value
        add_micrograd_activations(Value)
        self.Value = Value
        self.start_weights = [(W.copy(), b.copy()) for W, b in zip(net.weights, net.biases)]
        self.X, self.y, self.lr = X.tolist(), y[:, 0].tolist(), lr

    def forward(self, layers, x):
        a = x
        for l, (W, b) in enumerate(layers):
            z = [sum((W[i][j] * a[i] for i in range(len(a))), b[j]) for j in range(len(b))]
            a = [zj.sigmoid() if l == len(layers) - 1 else zj.tanh() for zj in z]
        return a[0]

    def run(self, epochs):
        Value = self.Value
        layers = [([[Value(float(w)) for w in row] for row in W], [Value(float(v)) for v in b])
                  for W, b in self.start_weights]
        params = [p for W, b in layers for p in [w for row in W for w in row] + b]
        n = len(self.X)
        losses = []
        for _ in range(epochs):
            for p in params:
                p.grad = 0.0
            loss = sum((self.forward(layers, x) - t) ** 2 for x, t in zip(self.X, self.y)) * (1 / (2 * n))
            loss.backward()
            for p in params:
                p.data -= self.lr * p.grad
            losses.append(loss.data)
        self.trained = layers
        return losses

    def parameters(self):
        out = []
        for W, b in self.trained:
            out += [np.array([[w.data for w in row] for row in W]), np.array([v.data for v in b])]
        return out


def trainers(net, X, y, lr, torch_threads):
    """The trainers of one case, all starting from ``net``'s weights."""
    found = [BpkitTrainer(net, X, y, lr), BpkitReadableTrainer(net, X, y, lr)]
    found += [TorchTrainer(net, X, y, lr, threads) for threads in torch_threads]
    found.append(MicrogradTrainer(net, X, y, lr))
    return found


def check_agreement(all_trainers, epochs=5, tolerance=1e-12):
    """Train each for a few epochs from the same start; every loss and every parameter
    must agree with bpkit's to ``tolerance``. Returns the largest difference seen."""
    reference = all_trainers[0]
    ref_losses = np.array(reference.run(epochs))
    ref_params = reference.parameters()
    worst = 0.0
    for trainer in all_trainers[1:]:
        losses = np.array(trainer.run(epochs))
        params = trainer.parameters()
        difference = max(np.max(np.abs(losses - ref_losses)),
                         max(np.max(np.abs(p - q)) for p, q in zip(params, ref_params)))
        assert difference <= tolerance, (
            f"{trainer.name} and bpkit disagree by {difference:.3g} after {epochs} epochs: "
            f"the comparison would not be fair")
        worst = max(worst, difference)
    return worst


def case_data(case):
    """(sizes, X, y, lr) for a case name."""
    if case.startswith("xor"):
        X, y = bpkit.datasets.xor()
        sizes = [int(k) for k in case.split(" ")[1].split("-")]
        return sizes, X, y, 0.5
    if case.startswith("moons"):
        X, y = bpkit.datasets.moons(200, noise=0.1, seed=0)
        return [2, 16, 16, 1], X, y, 0.5
    raise ValueError(f"unknown case {case!r}")
