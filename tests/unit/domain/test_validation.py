import pytest

from footcoach.domain.catalog import Category
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.validation import parse_choice


def test_parse_choice_accepts_a_vocabulary_word():
    assert parse_choice("category", "stretch", Category) is Category.STRETCH


def test_parse_choice_names_field_value_suggestion_and_allowed():
    with pytest.raises(InvalidInputError) as err:
        parse_choice("category", "strech", Category)
    (problem,) = err.value.problems
    assert problem.field == "category"
    assert problem.value == "strech"
    assert "did you mean stretch" in problem.allowed
    assert "balance" in problem.allowed
