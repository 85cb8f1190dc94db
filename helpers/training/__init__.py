"""Training and testing classifiers, one concept per module.

- :mod:`~helpers.training.recipes` -- :class:`Recipe` (optimiser, schedule, loss, precision)
  and the source's and the lesson's recipes;
- :mod:`~helpers.training.batches` -- :class:`Split` (and :func:`check_split`),
  :func:`hold_out` and :class:`ShuffledBatches`, batches sliced from memory;
- :mod:`~helpers.training.precision` -- :func:`choose_device` and :func:`choose_precision`,
  float32 or mixed precision by a short measurement;
- :mod:`~helpers.training.loop` -- :func:`train`, and :mod:`~helpers.training.history` for
  what it records;
- :mod:`~helpers.training.search` -- :func:`search_learning_rate`, a rate chosen on a
  validation split and widened until it lies strictly inside the grid;
- :mod:`~helpers.training.evaluation` -- :func:`batched_outputs` (any model's outputs,
  batch by batch), :func:`predict`, :func:`evaluate` over a whole split,
  :func:`confusion_matrix`.

Introduced in notebook 06; :mod:`helpers.mnist` re-exports the names the lesson uses.
"""

from helpers.training.batches import ShuffledBatches, Split, check_split, hold_out, time_batches
from helpers.training.evaluation import batched_outputs, confusion_matrix, evaluate, predict
from helpers.training.history import EpochStats, History
from helpers.training.loop import train
from helpers.training.precision import (
    PrecisionChoice,
    choose_device,
    choose_precision,
    clear_precision_cache,
    fixed_precision,
)
from helpers.training.recipes import (
    CNN_RECIPE,
    FAST_RECIPE,
    MLP_RECIPE,
    PRECISIONS,
    SCHEDULES,
    Recipe,
    label_smoothing_floor,
)
from helpers.training.search import LearningRateSearch, search_learning_rate

__all__ = [
    "CNN_RECIPE",
    "FAST_RECIPE",
    "MLP_RECIPE",
    "PRECISIONS",
    "SCHEDULES",
    "EpochStats",
    "History",
    "LearningRateSearch",
    "PrecisionChoice",
    "Recipe",
    "ShuffledBatches",
    "Split",
    "batched_outputs",
    "check_split",
    "choose_device",
    "choose_precision",
    "clear_precision_cache",
    "confusion_matrix",
    "evaluate",
    "fixed_precision",
    "hold_out",
    "label_smoothing_floor",
    "predict",
    "search_learning_rate",
    "time_batches",
    "train",
]
