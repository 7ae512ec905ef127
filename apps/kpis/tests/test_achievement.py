"""achievement.evaluate is the one place status is decided: table-driven."""

from decimal import Decimal as D

import pytest

from apps.kpis.achievement import Direction, Status, evaluate, roll_up

H, L, R = Direction.HIGHER, Direction.LOWER, Direction.RANGE


@pytest.mark.parametrize(
    "direction, actual, target, low, high, status, achievement",
    [
        # higher is better
        (H, 120, 100, None, None, Status.GREEN, D("120.0")),
        (H, 100, 100, None, None, Status.GREEN, D("100.0")),
        (H, 95, 100, None, None, Status.AMBER, D("95.0")),
        (H, 90, 100, None, None, Status.AMBER, D("90.0")),
        # graded on the shown (rounded) figure, so the badge never contradicts the number
        (H, "89.99", 100, None, None, Status.AMBER, D("90.0")),
        (H, "89.94", 100, None, None, Status.RED, D("89.9")),
        (H, 50, 100, None, None, Status.RED, D("50.0")),
        (H, -50, 100, None, None, Status.RED, D("0.0")),  # never below 0 %
        (H, -80, -100, None, None, Status.GREEN, D("120.0")),  # a smaller planned loss is better
        # lower is better: inverted thresholds (green <= target, amber <= 110 %)
        (L, 25, 30, None, None, Status.GREEN, D("116.7")),
        (L, 30, 30, None, None, Status.GREEN, D("100.0")),
        (L, 33, 30, None, None, Status.AMBER, D("90.0")),
        (L, 34, 30, None, None, Status.RED, D("86.7")),
        (L, 100, 30, None, None, Status.RED, D("0.0")),
        # zero target: no percentage, direct comparison
        (H, 0, 0, None, None, Status.GREEN, None),
        (H, 5, 0, None, None, Status.GREEN, None),
        (H, -1, 0, None, None, Status.RED, None),
        (L, 0, 0, None, None, Status.GREEN, None),
        (L, 2, 0, None, None, Status.RED, None),
        # range
        (R, 50, None, 40, 60, Status.GREEN, D("100.0")),
        (R, 40, None, 40, 60, Status.GREEN, D("100.0")),
        (R, 63, None, 40, 60, Status.AMBER, D("95.0")),
        (R, 30, None, 40, 60, Status.RED, D("75.0")),
        (R, 70, None, None, 60, Status.RED, D("83.3")),
        (R, 10, None, 5, None, Status.GREEN, D("100.0")),
        (R, -1, None, 0, 10, Status.AMBER, D("90.0")),  # bound 0: share of the band width
        (R, 1, None, 0, 0, Status.RED, None),  # zero-width band at 0: no percentage
        (R, 5, None, None, None, Status.NO_TARGET, None),
        # missing and no target
        (H, None, 100, None, None, Status.MISSING, None),
        (L, None, None, None, None, Status.MISSING, None),
        (R, None, None, 1, 2, Status.MISSING, None),
        (H, 5, None, None, None, Status.NO_TARGET, None),
        (L, 5, None, None, None, Status.NO_TARGET, None),
    ],
)
def test_evaluate_table(direction, actual, target, low, high, status, achievement):
    result = evaluate(direction=direction, actual=actual, target=target, low=low, high=high)
    assert (result.status, result.achievement) == (status, achievement)


def test_missing_is_never_zero():
    assert evaluate(direction=H, actual=None, target=100).achievement is None
    assert evaluate(direction=H, actual=0, target=100).achievement == D("0.0")


@pytest.mark.parametrize(
    "green, amber, actual, status",
    [
        (95, 80, 96, Status.GREEN),
        (95, 80, 85, Status.AMBER),
        (95, 80, 79, Status.RED),
        (110, 100, 105, Status.AMBER),
    ],
)
def test_custom_thresholds(green, amber, actual, status):
    assert evaluate(direction=H, actual=actual, target=100, green=green, amber=amber).status == status


@pytest.mark.parametrize(
    "rule, values, weights, expected",
    [
        ("sum", [1, 2, 3], None, D(6)),
        ("average", [1, 2, 3], None, D(2)),
        ("weighted", [10, 20], [1, 3], D("17.5")),
        ("weighted", [10, 20], [0, 0], None),
        ("sum", [1, None, 3], None, None),
        ("average", [], None, None),
    ],
)
def test_roll_up(rule, values, weights, expected):
    assert roll_up(rule, values, weights) == expected
