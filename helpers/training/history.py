"""What a training run records: one ``EpochStats`` per epoch, gathered in a ``History``.

Introduced in notebook 06.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["EpochStats", "History"]


@dataclass(frozen=True)
class EpochStats:
    """One epoch of training: mean loss, accuracies in [0, 1], training seconds.

    Attributes
    ----------
    epoch : int
        Counted from 1.
    loss : float
        Mean training loss over the epoch's images (label smoothing included).
    train_accuracy : float
        Counted on the training batches as they were seen, the model still changing.
    test_accuracy : float
        On the whole test split after the epoch.
    seconds : float
        Training time of the epoch, the test excluded.
    """

    epoch: int
    loss: float
    train_accuracy: float
    test_accuracy: float
    seconds: float


@dataclass
class History:
    """Per-epoch statistics of one training run.

    Attributes
    ----------
    epochs : list of EpochStats
    precision : str, optional
        The precision the run used, e.g. ``"bfloat16 autocast + channels-last"``.

    Notes
    -----
    Introduced in notebook 06.

    Examples
    --------
    >>> history = History([EpochStats(1, 0.8, 0.9, 0.985, 4.0),
    ...                    EpochStats(2, 0.6, 0.95, 0.991, 5.0)])
    >>> history.seconds, history.seconds_to(0.99), history.test_accuracy
    (9.0, 9.0, 0.991)
    """

    epochs: list[EpochStats] = field(default_factory=list)
    precision: str | None = None

    @property
    def test_accuracy(self) -> float:
        """Full-test-set accuracy after the last epoch."""
        return self.epochs[-1].test_accuracy

    @property
    def seconds(self) -> float:
        """Total training time, the per-epoch tests excluded."""
        return sum(e.seconds for e in self.epochs)

    def epochs_to(self, accuracy: float) -> int | None:
        """The first epoch whose test accuracy reached ``accuracy``; None if none did."""
        return next((e.epoch for e in self.epochs if e.test_accuracy >= accuracy), None)

    def seconds_to(self, accuracy: float) -> float | None:
        """Training seconds until the end of :meth:`epochs_to`; None if never reached.

        The accuracy is tested once an epoch, so this is a time at epoch granularity: the
        moment within the epoch at which ``accuracy`` was first crossed is not known.
        """
        epoch = self.epochs_to(accuracy)
        if epoch is None:
            return None
        return sum(e.seconds for e in self.epochs if e.epoch <= epoch)

    def __str__(self) -> str:
        """One line per epoch: loss, train %, test %, seconds."""
        lines = ["epoch    loss   train %   test %   seconds"]
        lines += [
            f"{e.epoch:5d}  {e.loss:6.4f}   {100 * e.train_accuracy:6.2f}   "
            f"{100 * e.test_accuracy:6.2f}   {e.seconds:7.1f}"
            for e in self.epochs
        ]
        return "\n".join(lines)
