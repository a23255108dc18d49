"""A multilayer perceptron and backpropagation, in the notation of the course.

Layer l takes the previous layer's activations a⁽ˡ⁻¹⁾ (one row per sample)
and computes

    z⁽ˡ⁾ = a⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾        W⁽ˡ⁾ has shape (n_in, n_out), b⁽ˡ⁾ shape (n_out,)
    a⁽ˡ⁾ = f(z⁽ˡ⁾)

with a⁽⁰⁾ = X. Backpropagation walks the layers in reverse with four equations
(δ⁽ˡ⁾ = ∂C/∂z⁽ˡ⁾, ⊙ is element-wise multiplication):

    (1) δ⁽ᴸ⁾   = ∂C/∂a⁽ᴸ⁾ ⊙ f'(z⁽ᴸ⁾)             error at the output layer L
    (2) δ⁽ˡ⁻¹⁾ = (δ⁽ˡ⁾ W⁽ˡ⁾ᵀ) ⊙ f'(z⁽ˡ⁻¹⁾)          error passed one layer back
    (3) ∂C/∂W⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾                     weight gradient
    (4) ∂C/∂b⁽ˡ⁾ = Σ_samples δ⁽ˡ⁾                    bias gradient

f'(z⁽ˡ⁾) is computed from the stored output a⁽ˡ⁾ = f(z⁽ˡ⁾) (for a sigmoid,
a (1 − a)): the forward pass already paid for it.
"""

import numpy as np

from . import _validate, activations, initializers, losses


class MLP:
    """A fully connected network.

    >>> net = MLP([2, 4, 1], activation="tanh", output="sigmoid", init="xavier", seed=0)
    >>> net.weights[0].shape, net.biases[0].shape
    ((2, 4), (4,))

    ``activation`` is used by every hidden layer, ``output`` by the last layer.
    ``weights[l]`` and ``biases[l]`` are plain NumPy arrays: read them, print
    them, or overwrite them to start from numbers of your own.
    """

    def __init__(self, sizes, activation="tanh", output="sigmoid", init="xavier", seed=0):
        self.sizes = _validate.layer_sizes(sizes)
        self.activation = activations.get(activation)
        self.output = activations.get(output)
        self.init = init
        self.seed = _validate.seed(seed)
        initialize = initializers.get(init)
        rng = np.random.default_rng(self.seed)
        self.weights = [initialize(n_in, n_out, rng)
                        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        self.biases = [np.zeros(n_out) for n_out in self.sizes[1:]]
        self.rng = rng   # goes on to shuffle mini-batches, so a seed fixes a whole run

    def __repr__(self):
        return (f"MLP({self.sizes}, activation={self.activation.name!r}, "
                f"output={self.output.name!r}, init={self.init!r}, seed={self.seed})")

    @property
    def n_layers(self):
        """Number of layers with weights (a [2, 4, 1] network has 2)."""
        return len(self.weights)

    def activation_of_layer(self, l):
        """The activation used by layer l (0-based): hidden layers, then the output."""
        return self.output if l == self.n_layers - 1 else self.activation

    def parameters(self):
        """All parameter arrays in order W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾, … (the arrays themselves)."""
        return [p for W, b in zip(self.weights, self.biases) for p in (W, b)]

    def copy(self):
        """An independent copy of the network (its own arrays)."""
        twin = MLP.__new__(MLP)
        twin.__dict__.update(self.__dict__)
        twin.weights = [W.copy() for W in self.weights]
        twin.biases = [b.copy() for b in self.biases]
        twin.rng = np.random.default_rng(self.seed)
        twin.rng.bit_generator.state = self.rng.bit_generator.state
        return twin

    # ---- forward -----------------------------------------------------------

    def forward(self, X):
        """The network's output for inputs X of shape (n_samples, n_inputs)."""
        X = _validate.as_matrix("X", X, n_columns=self.sizes[0])
        return self.forward_pass(X)[1][-1]

    def forward_pass(self, X):
        """Run X through every layer, keeping what backprop needs.

        Returns ``(zs, activations)``: zs[l] is z⁽ˡ⁺¹⁾, the weighted input of
        layer l, and activations[l] is a⁽ˡ⁾, so activations[0] is X itself and
        activations[-1] is the output.
        """
        zs, acts = [], [X]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = acts[-1] @ W + b
            zs.append(z)
            acts.append(self.activation_of_layer(l)(z))
        return zs, acts

    def predict(self, X, threshold=0.5):
        """Class labels 0/1: 1 where the output is above ``threshold``."""
        return (self.forward(X) > threshold).astype(int)

    # ---- loss and backward -------------------------------------------------

    def loss(self, X, y, loss="mse"):
        """The loss C of the network on (X, y)."""
        loss = losses.get(loss)
        X, y = _validate.as_inputs_and_targets(X, y, self.sizes[0], self.sizes[-1])
        losses.check_targets(loss, y)
        return loss(self.forward_pass(X)[1][-1], y)

    def loss_and_grads(self, X, y, loss="mse"):
        """The loss and its gradient with respect to every weight and bias.

        Returns ``(C, grads)`` with grads[l] == (∂C/∂W⁽ˡ⁾, ∂C/∂b⁽ˡ⁾), the same
        shapes as ``weights[l]`` and ``biases[l]``.
        """
        loss = losses.get(loss)
        X, y = _validate.as_inputs_and_targets(X, y, self.sizes[0], self.sizes[-1])
        losses.check_targets(loss, y)
        _, acts = self.forward_pass(X)
        return loss(acts[-1], y), self.backward_pass(acts, y, loss)

    def output_delta(self, a, y, loss):
        """Equation (1): δ⁽ᴸ⁾ = ∂C/∂a ⊙ f'(z) at the output layer.

        For a sigmoid output with cross-entropy the product simplifies to
        (a − y) / n, which we use directly: it stays exact even when a
        saturates at 0 or 1.
        """
        if loss.name == "bce" and self.output.name == "sigmoid":
            return (a - y) / a.shape[0]
        return loss.gradient(a, y) * self.output.derivative_from_output(a)

    def backward_pass(self, acts, y, loss):
        """Backpropagation: equations (1)–(4), from the last layer to the first.

        Takes the activations that ``forward_pass`` returned; acts[l] is a⁽ˡ⁾, the input of
        layer l (0-based), so layer l's weight gradient is acts[l]ᵀ δ.
        """
        loss = losses.get(loss)
        grads = [None] * self.n_layers
        f = self.activation
        delta = self.output_delta(acts[-1], y, loss)                           # (1)
        for l in reversed(range(self.n_layers)):
            dW = acts[l].T @ delta                                             # (3)
            db = delta.sum(axis=0)                                             # (4)
            grads[l] = (dW, db)
            if l > 0:
                delta = (delta @ self.weights[l].T) * f.derivative_from_output(acts[l])  # (2)
        return grads

    # ---- training ----------------------------------------------------------

    def fit(self, X, y, lr=0.5, epochs=5000, loss="mse", optimizer="sgd", batch_size=None,
            validation_data=None, track_grad_norms=False, snapshot_every=None, fast=True):
        """Train with gradient descent; see ``bpkit.training.fit`` for every option.

        Returns a ``History`` whose ``loss`` holds one value per epoch.
        """
        from .training import fit
        return fit(self, X, y, lr=lr, epochs=epochs, loss=loss, optimizer=optimizer,
                   batch_size=batch_size, validation_data=validation_data,
                   track_grad_norms=track_grad_norms, snapshot_every=snapshot_every, fast=fast)
