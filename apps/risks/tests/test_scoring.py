import pytest

from apps.risks.scoring import DEFAULT_BANDS, Level, level_for, score, validate_bands


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Messages are compared in English here; their Chinese is checked by the catalogue test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (1, 1, Level.LOW),
        (2, 2, Level.LOW),
        (1, 5, Level.MEDIUM),
        (3, 3, Level.MEDIUM),
        (2, 5, Level.HIGH),
        (3, 5, Level.HIGH),
        (4, 4, Level.EXTREME),
        (5, 5, Level.EXTREME),
    ],
)
def test_default_bands_on_the_5x5_matrix(likelihood, impact, expected):
    assert level_for(score(likelihood, impact), DEFAULT_BANDS) == expected


def test_edited_bands_move_the_boundaries():
    bands = {"low": 1, "medium": 4, "high": 8, "extreme": 20}
    assert [level_for(n, bands) for n in (3, 4, 7, 8, 19, 20)] == ["low", "medium", "medium", "high", "high", "extreme"]


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        ({"low": 2, "medium": 5, "high": 10, "extreme": 16}, "score 1"),
        ({"low": 1, "medium": 10, "high": 10, "extreme": 16}, "above the one before"),
        ({"low": 1, "medium": 5, "high": 10, "extreme": 30}, "highest possible score"),
        ({"low": 1, "medium": 5}, "Every level"),
    ],
)
def test_band_tables_that_cannot_work_are_refused(bands, problem):
    problems = validate_bands(bands, 25)
    assert any(problem in p for p in problems), problems


def test_the_default_bands_are_valid():
    assert validate_bands(DEFAULT_BANDS, 25) == []


@pytest.mark.django_db
def test_the_band_admin_refuses_a_change_that_breaks_the_table():
    from apps.risks.admin import LevelBandForm
    from apps.risks.models import LevelBand

    medium = LevelBand.objects.get(level="medium")
    form = LevelBandForm({"level": "medium", "min_score": 12}, instance=medium)  # above "high" (10)
    assert not form.is_valid() and "above the one before" in str(form.errors)
    assert LevelBandForm({"level": "medium", "min_score": 6}, instance=medium).is_valid()
