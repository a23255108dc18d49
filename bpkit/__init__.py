"""bpkit: backpropagation, built by hand.

The small NumPy library behind the bpkit course. Read it in this order:

    activations.py   f(z) and f'(z) for sigmoid, tanh, relu, leaky_relu, linear
    losses.py        mse and bce, with ∂C/∂a
    initializers.py  uniform, xavier, he
    network.py       MLP: forward pass, backward pass (the four equations)
    optimizers.py    sgd, momentum, adam
    training.py      fit: forward, loss, backward, update — repeated
    gradcheck.py     backprop checked against finite differences
    many.py          train_many: one network per seed, all at once
    datasets.py      and, or, xor, moons, circles, spirals; split and normalise

Plotting (``bpkit.plots``) and widgets (``bpkit.widgets``) are imported only
when you ask for them, so ``import bpkit`` stays light.
"""

from . import activations, datasets, initializers, losses, optimizers
from .gradcheck import gradcheck
from .many import train_many
from .network import MLP
from .training import History, TrainingDiverged, fit

__version__ = "0.1.0"

__all__ = ["MLP", "History", "TrainingDiverged", "fit", "gradcheck", "train_many",
           "activations", "datasets", "initializers", "losses", "optimizers"]
