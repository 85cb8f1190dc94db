"""``Recipe``: how a model is trained (optimiser, schedule, loss, precision), checked once.

Introduced in notebook 06. The one-cycle schedule is Smith & Topin (2017), arXiv:1708.07120;
label smoothing is Szegedy et al. (2016), arXiv:1512.00567.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from helpers.validation import ShapeRuleError, check_bool, check_choice, check_int, check_real

__all__ = [
    "CNN_RECIPE",
    "FAST_RECIPE",
    "MLP_RECIPE",
    "PRECISIONS",
    "SCHEDULES",
    "Recipe",
    "label_smoothing_floor",
]

#: The learning-rate schedules :func:`helpers.training.train` knows.
SCHEDULES = ("one-cycle", "constant")
#: The precisions a recipe may ask for; "auto" lets :func:`choose_precision` measure.
PRECISIONS = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class Recipe:
    """How to train: optimiser settings, schedule, batch size, precision and memory layout.

    Attributes
    ----------
    epochs : int, default=1
    batch_size : int, default=128
    lr : float, default=0.01
        Adam's learning rate; the peak of the one-cycle schedule.
    schedule : {"one-cycle", "constant"}, default="one-cycle"
        ``torch.optim.lr_scheduler.OneCycleLR`` over all steps, or a fixed rate.
    label_smoothing : float, default=0.1
        ``nn.CrossEntropyLoss(label_smoothing=...)``, ``0 <= value < 1``.
    precision : {"float32", "auto", "bfloat16", "float16"}, default="float32"
        The dtype of the forward pass and the loss. ``"bfloat16"`` and ``"float16"`` run them
        under ``torch.autocast`` (float16 with a gradient scaler); ``"auto"`` lets
        :func:`helpers.training.choose_precision` measure a few steps on the machine at
        hand and take the faster of float32 and bfloat16 autocast + channels-last (on CUDA:
        the mixed precision the GPU supports).
    channels_last : bool, default=False
        Store the model and batches channels-last (NHWC). With ``precision="auto"`` the
        measurement chooses the layout, so this must stay False.

    Raises
    ------
    TypeError, ValueError
        From ``__post_init__``, naming the field, when a setting has the wrong type or value.

    Notes
    -----
    Introduced in notebook 06. Weights, optimiser state and evaluation stay in float32
    whatever the precision.

    Examples
    --------
    >>> Recipe(epochs=3).schedule
    'one-cycle'
    >>> Recipe(lr=0)
    Traceback (most recent call last):
        ...
    helpers.validation.ShapeRuleError: lr=0 is invalid: must be > 0
    """

    epochs: int = 1
    batch_size: int = 128
    lr: float = 0.01
    schedule: str = "one-cycle"
    label_smoothing: float = 0.1
    precision: str = "float32"
    channels_last: bool = False

    def __post_init__(self):
        """Check every field once; the error names the field."""
        check_int("epochs", self.epochs, minimum=1)
        check_int("batch_size", self.batch_size, minimum=1)
        check_real("lr", self.lr, minimum=0, include_min=False)
        check_choice("schedule", self.schedule, SCHEDULES)
        check_real("label_smoothing", self.label_smoothing, 0, 1, include_max=False)
        check_choice("precision", self.precision, PRECISIONS)
        check_bool("channels_last", self.channels_last)
        if self.precision == "auto" and self.channels_last:
            raise ShapeRuleError(
                "channels_last",
                True,
                "must be False with precision='auto': the measurement chooses the layout",
            )


#: The source's CNN recipe: Adam at a constant 0.01, batches of 100, 5 epochs, plain loss.
CNN_RECIPE = Recipe(epochs=5, batch_size=100, lr=0.01, schedule="constant", label_smoothing=0.0)
#: The source's MLP recipe: Adam at a constant 0.001, batches of 100, 2 epochs, plain loss.
MLP_RECIPE = Recipe(epochs=2, batch_size=100, lr=0.001, schedule="constant", label_smoothing=0.0)
#: The lesson's recipe: batches of 128, Adam with a one-cycle schedule peaking at 0.01,
#: label smoothing 0.1, and the precision and layout measured fastest on this machine.
FAST_RECIPE = Recipe(epochs=2, precision="auto")


def label_smoothing_floor(epsilon: float, classes: int) -> float:
    """The smallest mean loss a model can reach under label smoothing ``epsilon``.

    Parameters
    ----------
    epsilon : float
        ``nn.CrossEntropyLoss(label_smoothing=epsilon)``, ``0 <= epsilon < 1``.
    classes : int
        Number of classes ``K >= 2``.

    Returns
    -------
    float
        The entropy of the smoothed target: ``-(1 - eps + eps/K) log(1 - eps + eps/K)
        - (K - 1) (eps/K) log(eps/K)`` nats. Label smoothing trains against the target
        ``q = (1 - eps) * one_hot + eps / K``, and cross-entropy against ``q`` is at least
        the entropy of ``q`` (Gibbs' inequality), reached when the softmax equals ``q``.

    Notes
    -----
    Introduced in notebook 06: with ``eps = 0.1`` and 10 classes the floor is 0.500, which
    is why the lesson's training losses never drop far below 0.5 while the source's (no
    smoothing) go towards 0. Szegedy et al. (2016), arXiv:1512.00567, section 7.

    Examples
    --------
    >>> round(label_smoothing_floor(0.1, 10), 4)
    0.5003
    >>> label_smoothing_floor(0.0, 10)
    0.0
    """
    check_real("epsilon", epsilon, 0, 1, include_max=False)
    check_int("classes", classes, minimum=2)
    true, other = 1 - epsilon + epsilon / classes, epsilon / classes
    floor = -true * math.log(true)
    if other > 0:
        floor -= (classes - 1) * other * math.log(other)
    return floor + 0.0  # -0.0 when epsilon = 0
