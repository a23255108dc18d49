"""The package as a learner meets it: light to import, no warnings in normal use."""
import subprocess
import sys
import warnings

import numpy as np

import bpkit


def test_import_bpkit_loads_no_plotting_or_widgets():
    code = ("import sys, bpkit; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_normal_use_raises_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X, y = bpkit.datasets.xor()
        for activation in bpkit.activations.ACTIVATIONS:
            net = bpkit.MLP([2, 4, 1], activation=activation, seed=1)
            net.fit(X, y, lr=0.5, epochs=200, loss="bce")
            bpkit.gradcheck(net, X, y)
        bpkit.train_many([2, 2, 1], X, y, seeds=range(10), activation="sigmoid", lr=5.0, epochs=500)
        big = bpkit.MLP([2, 3, 1], seed=0)
        big.weights[0][:] = 500.0               # saturated units: still no overflow warnings
        big.forward(X)
        big.loss_and_grads(X, y, loss="bce")


def test_public_names():
    for name in ["MLP", "fit", "gradcheck", "train_many", "TrainingDiverged", "datasets",
                 "activations", "losses", "initializers", "optimizers"]:
        assert hasattr(bpkit, name)
    assert isinstance(bpkit.__version__, str)
    assert np.__version__
