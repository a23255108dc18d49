"""The trainer panel, run outside a notebook (Agg backend, no browser)."""
import matplotlib

matplotlib.use("Agg")

import asyncio  # noqa: E402

import matplotlib.pyplot  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpkit  # noqa: E402
import ipywidgets as widgets  # noqa: E402
from bpkit.widgets.trainer import MAP_TITLE, Trainer, chunk_sizes, switching_line  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    matplotlib.pyplot.close("all")


@pytest.fixture
def trainer():
    return Trainer(controls=("lr", "activation", "output", "hidden", "epochs", "seed", "init"), epochs=300)


def final_loss(trainer):
    return trainer.loss_history[-1]


def test_it_trains_on_start_like_fit_would(trainer):
    X, y = bpkit.datasets.xor()
    net = bpkit.MLP([2, 4, 1], activation="tanh", output="sigmoid", init="xavier", seed=0)
    history = net.fit(X, y, lr=1.0, epochs=300)
    np.testing.assert_array_equal(trainer.loss_history, history.loss)
    assert trainer.message_text.startswith("epoch 300: loss ")


@pytest.mark.parametrize("name, value", [("lr", 0.2), ("activation", "sigmoid"), ("hidden", 2),
                                         ("epochs", 500), ("seed", 7), ("init", "uniform")])
def test_changing_a_control_retrains_with_the_new_setting(trainer, name, value):
    old_net = trainer.net
    trainer.controls[name].value = value
    assert trainer.settings[name] == value
    assert trainer.net is not old_net                       # a fresh network …
    assert trainer.epochs_done == trainer.settings["epochs"]   # … trained for `epochs` epochs
    net = bpkit.MLP(trainer.sizes(trainer.settings), activation=trainer.settings["activation"],
                    init=trainer.settings["init"], seed=trainer.settings["seed"])
    X, y = bpkit.datasets.xor()
    history = net.fit(X, y, lr=trainer.settings["lr"], epochs=trainer.settings["epochs"])
    np.testing.assert_array_equal(trainer.loss_history, history.loss)


def test_hidden_unit_maps_follow_the_number_of_units(trainer):
    trainer.controls["hidden"].value = 3
    assert [ax.get_visible() for ax in trainer.unit_axes[:4]] == [True, True, True, False]
    # each map is the unit's activation tanh(w·x + b) over the grid
    W, b = trainer.net.weights[0], trainer.net.biases[0]
    expected = np.tanh(trainer.decision.points @ W[:, 1] + b[1]).reshape(trainer.map_steps, -1)
    np.testing.assert_allclose(trainer.unit_images[1].get_array(), expected, atol=1e-12)


def test_switching_line_is_where_the_weighted_input_is_zero():
    w, b = np.array([2.0, -3.0]), 0.5
    mean, std = np.array([1.0, -2.0]), np.array([2.0, 0.5])
    xs, ys = switching_line(w, b, np.array([-1.0, 4.0]), mean, std)
    points = (np.column_stack([xs, ys]) - mean) / std
    np.testing.assert_allclose(points @ w + b, 0.0, atol=1e-12)


def test_step_trains_a_few_more_epochs_and_reset_goes_back_to_epoch_zero(trainer):
    trainer.step_button.click()
    assert trainer.epochs_done == 300 + trainer.step_epochs
    assert trainer.message_text.startswith(f"epoch {300 + trainer.step_epochs}:")
    trainer.reset_button.click()
    assert trainer.epochs_done == 0
    assert "untrained" in trainer.message_text
    assert trainer.train_line.get_xdata().size == 0


def test_train_button_continues_the_run_exactly_like_one_long_fit(trainer):
    trainer.train_button.click()            # outside a running kernel: trains right away
    assert trainer.epochs_done == 600
    X, y = bpkit.datasets.xor()
    history = bpkit.MLP([2, 4, 1], seed=0).fit(X, y, lr=1.0, epochs=600)
    np.testing.assert_array_equal(trainer.loss_history, history.loss)
    assert trainer.message_text.startswith("epoch 600:")


def test_training_with_momentum_in_chunks_equals_one_fit():
    trainer = Trainer(controls=("optimizer",), optimizer="momentum", lr=0.1, epochs=200)
    trainer.step()
    trainer.step()
    X, y = bpkit.datasets.xor()
    history = bpkit.MLP([2, 4, 1], seed=0).fit(X, y, lr=0.1, epochs=400, optimizer="momentum")
    np.testing.assert_array_equal(trainer.loss_history, history.loss)


def test_a_diverging_run_shows_the_message_not_a_traceback(trainer):
    trainer.controls["output"].value = "linear"
    trainer.controls["activation"].value = "relu"
    trainer.controls["lr"].value = 10.0
    text = trainer.message_text
    assert text.startswith("⚠ the loss became inf at epoch ")
    assert "smaller learning rate" in text
    epoch = int(text.split("at epoch ")[1].split(" ")[0])
    assert trainer.epochs_done == epoch                 # the curve shows the finite part
    with pytest.raises(bpkit.TrainingDiverged) as caught:
        bpkit.MLP([2, 4, 1], activation="relu", output="linear", seed=0).fit(*bpkit.datasets.xor(), lr=10.0, epochs=300)
    assert caught.value.epoch == epoch
    assert trainer.map_ax.get_title() == f"diverged at epoch {epoch}: no answer"   # not a map of nonsense
    # a sensible learning rate recovers
    trainer.controls["lr"].value = 0.1
    assert not trainer.message_text.startswith("⚠")
    assert trainer.map_ax.get_title() == MAP_TITLE


def test_a_run_that_diverges_during_step_shows_the_epoch_counted_from_the_start():
    trainer = Trainer(controls=("lr",), activation="relu", output="linear", lr=10.0, epochs=100)
    assert trainer.message_text.startswith("epoch 100:")
    trainer.step_button.click()
    assert trainer.message_text.startswith("⚠ the loss became inf at epoch 162 ")
    assert len(trainer.train_line.get_xdata()) == 162          # the views show the run up to the blow-up
    assert trainer.map_ax.get_title() == "diverged at epoch 162: no answer"


def test_success_rate_button_matches_train_many():
    trainer = Trainer(epochs=500, success_seeds=20)
    trainer.success_button.click()
    X, y = bpkit.datasets.xor()
    result = bpkit.train_many([2, 4, 1], X, y, seeds=range(20), lr=1.0, epochs=500)
    solved = int(result.solved.sum())
    assert trainer.message_text.startswith(f"{solved} of 20 seeds solved it")
    heights = [patch.get_height() for patch in trainer.success_ax.patches]
    assert sum(heights) == solved
    trainer.controls["lr"].value = 0.5                 # new settings: the old histogram goes
    assert len(trainer.success_ax.patches) == 0 and not trainer.success_shown


@pytest.mark.parametrize("kwargs", [
    dict(),
    dict(activation="relu", hidden=3, init="he", seed=4, optimizer="adam", lr=0.05),
    dict(dataset="moons", noise=0.2, val_fraction=0.3, normalize=True, hidden=6, epochs=200, success_seeds=None),
    dict(dataset="spirals", optimizer="momentum", lr=0.1, layers=2, epochs=100, success_seeds=None),
])
def test_code_reproduces_the_run(kwargs):
    trainer = Trainer(**kwargs)
    trainer.step()
    namespace = {}
    exec(trainer.code(), namespace)
    history = namespace["history"]
    np.testing.assert_array_equal(history.loss, trainer.loss_history)
    assert history.loss[-1] == trainer.loss_history[-1]
    if trainer.X_val is not None:
        np.testing.assert_array_equal(history.val_loss, trainer.val_history)


def test_dataset_and_validation_controls():
    trainer = Trainer(controls=("dataset", "val_fraction", "normalize"), epochs=100, success_seeds=None)
    trainer.controls["dataset"].value = "circles"
    assert len(trainer.X) == 200
    trainer.controls["val_fraction"].value = 0.3
    assert (len(trainer.X), len(trainer.X_val)) == (140, 60)
    assert len(trainer.val_line.get_ydata()) == 100
    assert "validation loss" in trainer.message_text
    trainer.controls["normalize"].value = True
    np.testing.assert_allclose(trainer.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(trainer.X.std(axis=0), 1)


def test_settings_read_back_every_setting(trainer):
    trainer.controls["lr"].value = 0.25
    settings = trainer.settings
    assert settings["lr"] == 0.25 and settings["dataset"] == "xor" and settings["optimizer"] == "sgd"


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="unknown setting"):
        Trainer(learning_rate=0.1)
    with pytest.raises(ValueError, match="unknown control 'speed'"):
        Trainer(controls=("speed",))


def test_chunks_add_up():
    assert chunk_sizes(1000, 10) == [100] * 10
    assert sum(chunk_sizes(1003, 10)) == 1003
    assert chunk_sizes(3, 10) == [1, 1, 1]


def test_the_controls_a_browser_test_relies_on(trainer):
    """The browser test finds these by widget type and CSS class: keep them stable."""
    assert isinstance(trainer.controls["lr"], widgets.FloatLogSlider)
    assert isinstance(trainer.controls["activation"], widgets.Dropdown)
    for name, control in trainer.controls.items():
        assert f"bpkit-control-{name}" in control._dom_classes
    assert "bpkit-message" in trainer.message._dom_classes
    assert trainer.message in trainer.children


def test_train_in_a_running_kernel_shows_progress_and_can_be_stopped(trainer):
    """In a kernel (an asyncio loop runs) Train trains in the background, in chunks,
    showing "training … epoch k of n" between chunks; a second press stops it."""
    messages = []
    show = trainer.show_message
    trainer.show_message = lambda text, error=False: (messages.append(text), show(text, error))

    async def press_train_and_wait():
        trainer.train_button.click()
        assert trainer.task is not None
        await trainer.task

    asyncio.run(press_train_and_wait())
    progress = [m for m in messages if m.startswith("training … epoch ")]
    assert len(progress) == 20 and progress[-1] == "training … epoch 600 of 600"
    assert trainer.message_text.startswith("epoch 600:")
    assert trainer.train_button.description == "Train"
    X, y = bpkit.datasets.xor()
    history = bpkit.MLP([2, 4, 1], seed=0).fit(X, y, lr=1.0, epochs=600)
    np.testing.assert_array_equal(trainer.loss_history, history.loss)

    async def press_train_twice():
        trainer.train_button.click()
        await asyncio.sleep(0.05)                 # let a chunk or two run
        assert trainer.train_button.description == "Stop"
        trainer.train_button.click()              # Stop
        assert trainer.task is None and trainer.train_button.description == "Train"

    asyncio.run(press_train_twice())
    assert trainer.message_text.startswith("stopped · epoch ")
    assert 600 < trainer.epochs_done < 900
