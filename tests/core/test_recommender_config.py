"""The ``[recommender]`` table of a labels file."""

from __future__ import annotations

import pytest

from tui.core.labels import LabelError
from tui.core.recommender_config import RecommenderConfig
from tui.core.relations.schema import DEFAULT_SCHEMA, parse_schema
from tui.core.spans import Status

LABELS = '[[label]]\nname = "PER"\nkey = 1\n'


def test_without_a_table_the_defaults_hold() -> None:
    assert parse_schema(LABELS).recommender == RecommenderConfig() == DEFAULT_SCHEMA.recommender
    assert (RecommenderConfig().retrain_every, RecommenderConfig().min_spans) == (50, 20)


def test_every_field_is_read() -> None:
    source = LABELS + (
        '\n[recommender]\nmodel = "people"\nretrain_every = 10\nlayer = "gold"\n'
        'min_spans = 5\nstatuses = ["done"]\n'
    )
    assert parse_schema(source).recommender == RecommenderConfig(
        "people", 10, "gold", 5, (Status.DONE,)
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("retrain_every = 0", "labels.toml line 6: [recommender]: retrain_every must be a whole"),
        ('min_spans = "20"', "labels.toml line 6: [recommender]: min_spans must be a whole"),
        ('model = "../x"', "labels.toml line 6: [recommender]: model must be a name"),
        ('statuses = ["finished"]', "labels.toml line 6: [recommender]: statuses must be a list"),
        ("every = 3", "labels.toml line 6: [recommender]: unknown field 'every'"),
    ],
)
def test_a_bad_value_names_the_file_and_line(body: str, message: str) -> None:
    source = LABELS + "\n[recommender]\n" + body  # the body is line 6
    with pytest.raises(LabelError) as caught:
        parse_schema(source)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
