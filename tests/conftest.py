import numpy as np
import pytest

import bpkit


@pytest.fixture
def xor():
    return bpkit.datasets.xor()


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
