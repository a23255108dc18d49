"""The fast path of ``train_many``: full-batch plain gradient descent, fused.

Read ``many.py`` first: it says *what* is computed. This file computes the
same numbers (up to rounding: the additions happen in another order) with
fewer, larger NumPy calls, because with a few hundred tiny
networks the time goes into the fixed cost of every NumPy call, not into
arithmetic. The tricks, none of which changes the mathematics:

1. Biases folded into the weights. Every layer's input gets a column of ones,
   and the bias becomes the last row of the weight matrix:

       z = a W + b = [a, 1] [W; b] = ã W̃

   so one product gives z, and one product gives ∂C/∂W̃ = ãᵀ δ, whose last
   row is Σ_samples δ = ∂C/∂b.
2. The first layer's input X is the same for every seed, so X̃ @ W̃ for all
   S seeds at once is one ordinary matrix product, X̃ (n, d+1) times W̃
   reshaped to (d+1, n_out·S). Same for its gradient X̃ᵀ δ.
3. All parameters live in one flat vector θ (each W̃ is a view into it), and
   all gradients in one flat vector g, so the update θ ← θ − η g is two calls.
4. Every array is allocated once and reused (``out=``).
5. The outputs of a block of epochs are kept, and the loss and the "every
   output on the right side" check are computed once per block.

It applies to full-batch training with ``optimizer="sgd"``: ``train`` serves
``train_many``, and ``fit`` trains one plain ``MLP`` the same way (there the
per-seed products are ordinary matrix products). ``tests/test_fast.py`` checks
that both agree with ``many.py``'s readable path and with ``MLP.fit``.
"""

import numpy as np

from . import optimizers

BLOCK_BYTES = 4 * 2**20   # memory for the outputs kept between two bookkeeping steps


def applies(optimizer, batch_size, n_samples):
    """The fast path covers full-batch plain gradient descent."""
    full_batch = batch_size is None or batch_size >= n_samples
    return full_batch and type(optimizer) is optimizers.SGD


class FusedStack:
    """S networks of one architecture, stored for speed (see the module docstring).

    theta         flat vector of every parameter of every seed
    weights[l]    W̃ of layer l, shape (n_in + 1, n_out, S): a view into theta
    inputs[l]     ã of layer l, shape (n, n_in + 1, S) with a last column of ones
                  (inputs[0] is X̃, shape (n, d + 1): shared by every seed)

    Given a plain ``MLP`` (no seed axis) every array simply has no last axis
    and the per-seed products become ordinary matrix products.
    """

    def __init__(self, net, X):
        self.activations = [net.activation_of_layer(l) for l in range(net.n_layers)]
        self.stacked = net.weights[0].ndim == 3
        seed_axis = net.weights[0].shape[2:]          # (S,) for a stack, () for one network
        n = len(X)
        shapes = [(n_in + 1, n_out, *seed_axis) for n_in, n_out in zip(net.sizes[:-1], net.sizes[1:])]
        self.theta = np.empty(sum(int(np.prod(shape)) for shape in shapes))
        self.grad = np.empty_like(self.theta)
        self.weights, self.grads = [], []
        start = 0
        for shape, W, b in zip(shapes, net.weights, net.biases):
            stop = start + int(np.prod(shape))
            W_tilde = self.theta[start:stop].reshape(shape)
            W_tilde[:-1], W_tilde[-1] = W, b
            self.weights.append(W_tilde)
            self.grads.append(self.grad[start:stop].reshape(shape))
            start = stop

        self.X_tilde = np.hstack([X, np.ones((n, 1))])
        self.X_tilde_T = np.ascontiguousarray(self.X_tilde.T)
        self.inputs = [self.X_tilde]
        for n_in in net.sizes[1:-1]:
            a_tilde = np.empty((n, n_in + 1, *seed_axis))
            a_tilde[:, -1] = 1.0
            self.inputs.append(a_tilde)
        self.outputs_of_layer = [a_tilde[:, :-1] for a_tilde in self.inputs[1:]]
        layer_outputs = [(n, n_out, *seed_axis) for n_out in net.sizes[1:]]
        self.zs = [np.empty(shape) for shape in layer_outputs]
        self.deltas = [np.empty(shape) for shape in layer_outputs]
        self.slopes = [np.empty(shape) for shape in layer_outputs]
        self.scratch = [np.empty(shape) for shape in layer_outputs]
        if self.stacked:
            # Products ã[n, i, s] W̃[i, j, s] (forward) and ã[n, i, s] δ[n, j, s] (gradient) of
            # the layers after the first, shape (n, n_in + 1, n_out, S), then summed over i or n.
            # The broadcast views used for them are made once here: each costs time to make.
            self.products = [None] + [np.empty((n, n_in + 1, n_out, *seed_axis))
                                      for n_in, n_out in zip(net.sizes[1:-1], net.sizes[2:])]
            self.inputs_4d = [None] + [a_tilde[:, :, None, :] for a_tilde in self.inputs[1:]]
            self.weights_4d = [W_tilde[None] for W_tilde in self.weights]
            self.weights_4d_no_bias = [W_tilde[None, :-1] for W_tilde in self.weights]
            self.deltas_4d = [delta[:, None, :, :] for delta in self.deltas]
        else:
            self.weights_no_bias_T = [W_tilde[:-1].T for W_tilde in self.weights]

    def forward(self, out):
        """Forward pass for every seed; the network's output goes into ``out`` (n, n_out, S)."""
        last = len(self.weights) - 1
        for l, W_tilde in enumerate(self.weights):
            z = self.zs[l]
            if l == 0:      # X̃ is shared: one matrix product serves every seed
                np.matmul(self.X_tilde, W_tilde.reshape(len(W_tilde), -1), out=z.reshape(len(z), -1))
            elif not self.stacked:
                np.matmul(self.inputs[l], W_tilde, out=z)
            else:           # z[n, j, s] = Σ_i ã[n, i, s] W̃[i, j, s]
                np.multiply(self.inputs_4d[l], self.weights_4d[l], out=self.products[l])
                np.add.reduce(self.products[l], axis=1, out=z)
            a = out if l == last else self.outputs_of_layer[l]
            activate(self.activations[l], z, a, self.scratch[l])

    def backward(self, out, y, loss):
        """Backward pass: fills ``self.grad`` with ∂C/∂θ, given the output from ``forward``."""
        last = len(self.weights) - 1
        output_delta(self.activations[last], loss, out, y, self.deltas[last], self.slopes[last])
        for l in range(last, -1, -1):
            delta, G_tilde = self.deltas[l], self.grads[l]
            if l == 0:      # ∂C/∂W̃ = X̃ᵀ δ: one matrix product
                np.matmul(self.X_tilde_T, delta.reshape(len(delta), -1), out=G_tilde.reshape(len(G_tilde), -1))
                continue
            back = self.deltas[l - 1]       # δ⁽ˡ⁻¹⁾ = δ Wᵀ ⊙ f'(z⁽ˡ⁻¹⁾), W is W̃ without the bias row
            if not self.stacked:
                np.matmul(self.inputs[l].T, delta, out=G_tilde)
                np.matmul(delta, self.weights_no_bias_T[l], out=back)
            else:
                # ∂C/∂W̃[i, j, s] = Σ_n ã[n, i, s] δ[n, j, s]
                np.multiply(self.inputs_4d[l], self.deltas_4d[l], out=self.products[l])
                np.add.reduce(self.products[l], axis=0, out=G_tilde)
                # δ Wᵀ[n, i, s] = Σ_j δ[n, j, s] W[i, j, s]
                W_4d = self.weights_4d_no_bias[l]
                if delta.shape[1] == 1:     # one unit: the sum over j has a single term
                    np.multiply(self.deltas_4d[l], W_4d, out=back[:, :, None, :])
                else:
                    np.add.reduce(self.deltas_4d[l] * W_4d, axis=2, out=back)
            multiply_by_slope(self.activations[l - 1], self.outputs_of_layer[l - 1], back, self.slopes[l - 1])

    def step(self, lr):
        """θ ← θ − η ∂C/∂θ, for every parameter of every seed."""
        np.multiply(self.grad, lr, out=self.grad)
        np.subtract(self.theta, self.grad, out=self.theta)


def activate(f, z, a, scratch):
    """a = f(z), written into the array a."""
    if f.name == "tanh":
        np.tanh(z, out=a)
    elif f.name == "sigmoid":   # as activations.sigmoid: e = e^(−|z|), then (1 if z ≥ 0 else e) / (1 + e)
        e = scratch
        np.abs(z, out=e)
        np.negative(e, out=e)
        np.exp(e, out=e)
        np.add(e, 1.0, out=a)                        # a holds 1 + e for a moment
        np.copyto(e, 1.0, where=z >= 0)              # the numerator
        np.divide(e, a, out=a)
    else:
        a[...] = f(z)


def multiply_by_slope(f, a, delta, slope):
    """delta ← delta ⊙ f'(z), with f'(z) written in terms of the output a = f(z)."""
    if f.name == "tanh":        # 1 − a²
        np.multiply(a, a, out=slope)
        np.subtract(1.0, slope, out=slope)
    elif f.name == "sigmoid":   # a (1 − a)
        np.subtract(1.0, a, out=slope)
        np.multiply(a, slope, out=slope)
    else:
        slope[...] = f.derivative_from_output(a)
    np.multiply(delta, slope, out=delta)


def output_delta(f, loss, a, y, delta, slope):
    """Equation (1), as ``MLP.output_delta``: δ = ∂C/∂a ⊙ f'(z), or (a − y)/n for
    cross-entropy on a sigmoid. Both losses have ∂C/∂a ∝ (a − y) / n (mse exactly)."""
    n = a.shape[0]
    if loss.name == "bce" and f.name == "sigmoid":
        np.subtract(a, y, out=delta)
        np.divide(delta, n, out=delta)
    elif loss.name == "mse":
        np.subtract(a, y, out=delta)
        np.divide(delta, n, out=delta)
        multiply_by_slope(f, a, delta, slope)
    else:
        delta[...] = loss.gradient(a, y) * f.derivative_from_output(a)


def run_epochs(stack, outputs, y, loss, lr, epochs):
    """``epochs`` epochs of gradient descent; epoch i's output (before its update) goes to outputs[i]."""
    for i in range(epochs):
        out = outputs[i]
        stack.forward(out)
        stack.backward(out, y, loss)
        stack.step(lr)


def block_size(epochs, n, k, S):
    return max(1, min(epochs, BLOCK_BYTES // (8 * n * k * S)))


def train(net, X, y, loss, lr, epochs):
    """Full-batch gradient descent of every seed of the stacked ``net``.

    Returns ``(history, right, final_loss)`` exactly as ``many.train_stepwise``:
    history (epochs, S) the loss at the start of each epoch, right (epochs + 1, S)
    whether every output was on the right side after e epochs, and the final loss.
    """
    from .many import loss_per_seed, on_right_side
    stack = FusedStack(net, X)
    n, k, S = len(X), net.sizes[-1], net.weights[0].shape[-1]
    y3 = y[:, :, None]
    history = np.empty((epochs, S))
    right = np.empty((epochs + 1, S), dtype=bool)
    block = block_size(epochs, n, k, S)
    outputs = np.empty((block, n, k, S))     # the output of each epoch of the current block

    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, epochs, block):
            stop = min(start + block, epochs)
            run_epochs(stack, outputs, y3, loss, lr, stop - start)
            history[start:stop] = loss_per_seed(loss, outputs[:stop - start], y3)
            right[start:stop] = on_right_side(outputs[:stop - start], y3)
        out = np.empty((n, k, S))
        stack.forward(out)
        final_loss = loss_per_seed(loss, out, y3)
        right[epochs] = on_right_side(out, y3)
    return history, right, final_loss


def fit(net, X, y, loss, lr, epochs):
    """Full-batch gradient descent of one ``MLP``, in place, as ``training.fit`` does it.

    Returns ``(losses, diverged_at)``: the loss at the start of each epoch, and None;
    or, if the loss stopped being finite at epoch e, losses[:e + 1] (the last one
    not finite) and e. The network's arrays are updated in place and end exactly
    where ``training.fit`` leaves them, also after a divergence (the block that
    diverged is replayed, up to and including epoch e, from a copy of its start).
    """
    from .many import loss_per_seed
    stack = FusedStack(net, X)
    n, k = len(X), net.sizes[-1]
    losses = np.empty(epochs)
    block = block_size(epochs, n, k, 1)
    outputs = np.empty((block, n, k))
    diverged_at = None

    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, epochs, block):
            stop = min(start + block, epochs)
            theta_at_start = stack.theta.copy()
            run_epochs(stack, outputs, y, loss, lr, stop - start)
            losses[start:stop] = loss_per_seed(loss, outputs[:stop - start, :, :, None], y[:, :, None])[:, 0]
            finite = np.isfinite(losses[start:stop])
            if not finite.all():
                diverged_at = start + int(np.argmin(finite))
                stack.theta[:] = theta_at_start
                run_epochs(stack, outputs, y, loss, lr, diverged_at - start + 1)
                losses = losses[:diverged_at + 1]
                break

    for W, b, W_tilde in zip(net.weights, net.biases, stack.weights):
        W[...] = W_tilde[:-1]
        b[...] = W_tilde[-1]
    return losses, diverged_at
