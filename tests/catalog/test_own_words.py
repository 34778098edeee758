"""Every sentence in footcoach's data is our own: no 8-word run of a seed article appears in it."""

from tests.support import own_words


def test_no_eight_word_run_of_any_seed_appears_in_the_data():
    hits = own_words.copied_runs(own_words.data_texts(), own_words.stored_digests())
    assert hits == [], "copied from a seed:\n" + "\n".join(f"{w}: {r}" for w, r in hits)


def test_the_stored_digests_match_the_seeds_when_they_are_at_hand():
    import pytest

    if not own_words.SEEDS.is_dir():
        pytest.skip("the seed articles (../shared/seeds) are not beside this checkout")
    assert own_words.seed_digests() == own_words.stored_digests()


def test_the_check_catches_a_copied_run():
    # a sentence lifted from seed 000, and the same sentence with every other word changed
    digests = own_words.stored_digests()
    copied = "perform foot trainer exercises in your bed before taking your first step"
    assert own_words.copied_runs([("x", copied)], digests)
    reworded = "do the trainer moves while still lying down, before you first stand up"
    assert not own_words.copied_runs([("x", reworded)], digests)
