"""``search_learning_rate``: a learning rate chosen on a validation split, strictly inside the grid.

Introduced in notebook 06.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from torch import nn

from helpers.training.batches import Split, check_split
from helpers.training.loop import train
from helpers.training.recipes import Recipe
from helpers.validation import ShapeRuleError, check_int, check_real

__all__ = ["LearningRateSearch", "search_learning_rate"]


@dataclass(frozen=True)
class LearningRateSearch:
    """The validation accuracy of every learning rate tried, in increasing order of rate.

    Attributes
    ----------
    scores : dict of float to float
        Peak learning rate -> accuracy on the validation split, sorted by rate.
    steps : int
        Training steps per candidate.

    Notes
    -----
    Introduced in notebook 06.
    """

    scores: dict[float, float]
    steps: int

    @property
    def best(self) -> float:
        """The rate with the highest validation accuracy (the smaller rate on a tie)."""
        return max(self.scores, key=lambda lr: (self.scores[lr], -lr))

    @property
    def inside(self) -> bool:
        """True when the best rate is neither the smallest nor the largest one tried."""
        rates = list(self.scores)
        return rates[0] < self.best < rates[-1]

    def __str__(self) -> str:
        """One ``lr: accuracy`` entry per rate, the best marked with ``*``."""
        return "   ".join(
            f"lr {lr:.2g}{'*' if lr == self.best else ''}: {100 * accuracy:.2f} %"
            for lr, accuracy in self.scores.items()
        )


def search_learning_rate(
    build: Callable[..., nn.Module],
    fit: Split,
    validation: Split,
    recipe: Recipe,
    candidates: Sequence[float],
    *,
    factor: float = 3.0,
    max_candidates: int = 8,
    seed: int = 0,
) -> LearningRateSearch:
    """Train one model per candidate rate on ``fit``; widen the grid until the best is inside.

    Parameters
    ----------
    build : callable
        ``build(seed=seed)`` returns a fresh model (e.g. :func:`helpers.models.source_cnn`).
    fit, validation : Split
        Trained on, and scored on (never the test split).
    recipe : Recipe
        The training recipe of every candidate; its ``lr`` is replaced by the candidate's.
    candidates : sequence of float
        The first grid, at least two rates ``> 0``.
    factor : float, default=3.0
        When the best rate is the smallest (largest) one tried, the next candidate is the
        smallest divided (largest multiplied) by ``factor``, ``> 1``.
    max_candidates : int, default=8
        Stop widening after this many rates have been tried, ``>= len(candidates)``.
    seed : int, default=0
        Seeds every candidate's initial weights and batch order (the same for all).

    Returns
    -------
    LearningRateSearch
        The validation accuracy of every rate tried. ``inside`` is False only when
        ``max_candidates`` ran out first: then the best rate may lie beyond the grid.

    Raises
    ------
    TypeError, ValueError
        If a split is not a :class:`Split`, a rate is not positive, or a count is out of
        range.

    Notes
    -----
    Introduced in notebook 06. A rate at the edge of the grid is a warning sign: a better
    one may lie outside it. Widening one rate at a time on the losing side costs one
    training run per step, less than a wider grid from the start.

    Examples
    --------
    >>> search = LearningRateSearch({0.01: 0.95, 0.03: 0.97, 0.1: 0.96}, steps=10)
    >>> search.best, search.inside
    (0.03, True)
    """
    check_split("fit", fit)
    check_split("validation", validation)
    if not isinstance(recipe, Recipe):
        raise TypeError(f"recipe={recipe!r} is invalid: must be a Recipe")
    rates = sorted(
        {check_real("candidates", lr, minimum=0, include_min=False) for lr in candidates}
    )
    if len(rates) < 2:
        raise ShapeRuleError("candidates", tuple(candidates), "must hold at least two rates")
    check_real("factor", factor, minimum=1, include_min=False)
    check_int("max_candidates", max_candidates, minimum=len(rates))
    scores: dict[float, float] = {}

    def score(lr: float) -> None:
        model = build(seed=seed)
        history = train(model, fit, validation, replace(recipe, lr=lr), seed=seed, progress=False)
        scores[lr] = history.test_accuracy  # scored on `validation`, passed as the test split

    for lr in rates:
        score(lr)
    while len(scores) < max_candidates:
        ordered = sorted(scores)
        best = max(ordered, key=lambda lr: (scores[lr], -lr))
        if best == ordered[0]:
            score(ordered[0] / factor)
        elif best == ordered[-1]:
            score(ordered[-1] * factor)
        else:
            break
    steps = recipe.epochs * -(-len(fit) // recipe.batch_size)
    return LearningRateSearch(dict(sorted(scores.items())), steps)
