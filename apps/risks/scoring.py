"""Scores and levels: likelihood × impact gives the score; the company's bands turn a score
into a level. Pure functions, so the bands can be tested on any table."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    # With a context: other modules translate a bare "High" differently (a priority).
    LOW = "low", pgettext_lazy("risk level", "Low")
    MEDIUM = "medium", pgettext_lazy("risk level", "Medium")
    HIGH = "high", pgettext_lazy("risk level", "High")
    EXTREME = "extreme", pgettext_lazy("risk level", "Extreme")


# Bootstrap tones per level, for badges and the heat map.
LEVEL_TONES = {Level.LOW: "success", Level.MEDIUM: "warning", Level.HIGH: "orange", Level.EXTREME: "danger"}
LEVEL_ORDER = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2, Level.EXTREME: 3}

# Default for a 5 × 5 matrix: the lowest score that reaches each level.
DEFAULT_BANDS = {Level.LOW: 1, Level.MEDIUM: 5, Level.HIGH: 10, Level.EXTREME: 16}


def score(likelihood: int, impact: int) -> int:
    return int(likelihood) * int(impact)


def level_for(value: int, bands: dict[str, int]) -> str:
    """The highest level whose minimum the score reaches (bands: level -> minimum score)."""
    found = Level.LOW
    for level, minimum in sorted(bands.items(), key=lambda kv: kv[1]):
        if value >= minimum:
            found = level
    return Level(found)


def validate_bands(bands: dict[str, int], max_score: int) -> list[str]:
    """Problems with a band table, as messages: minimums must rise with the level and fit the scale."""
    problems = []
    ordered = [bands.get(level) for level in Level.values]
    if any(v is None for v in ordered):
        return [str(_("Every level needs a minimum score."))]
    if ordered[0] != 1:
        problems.append(str(_("The lowest level must start at score 1.")))
    if any(b <= a for a, b in zip(ordered, ordered[1:], strict=False)):
        problems.append(str(_("Each level must start above the one before it.")))
    if ordered[-1] > max_score:
        problems.append(str(_("A level starts above the highest possible score (%(n)s).") % {"n": max_score}))
    return problems
