"""The TOML catalog loader fails loudly, naming the file, the field and what was expected."""

import shutil
import textwrap

import pytest

from footcoach.adapters.catalog_files import FileCatalogSource, load_exercises, package_data
from footcoach.domain.errors import CatalogDataError

GOOD = textwrap.dedent(
    """\
    id = "sample-stretch"
    name = "Sample stretch"
    category = "stretch"
    position = "sitting"
    weight_bearing = false
    in_bed = true
    targets = ["plantar_fascia"]
    sides = "each"
    foot_relevance = "core"
    steps = ["Sit down and pull the toes back gently."]
    why = "Tensions the sole before it takes weight."

    [equipment]
    required = ["none"]

    [dose]
    reps = 10
    hold_s = 10

    [[sources]]
    source = "footcoach"
    stance = "footcoach_default"
    says = "Ours."

    [figure]
    view = "foot"
    posture = "chair"
    foot = "right"
    tissues = ["plantar_fascia"]
    arrow = "toes"

    [figure.start]
    hip = 90
    hands = "toes"

    [figure.end]
    hip = 90
    big_toe = 60
    toes = 55
    hands = "toes"
    """
)


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def load_one(tmp_path, text, name="sample-stretch.toml"):
    return load_exercises(write(tmp_path / "exercises", name, text))


def test_a_good_file_loads(tmp_path):
    (ex,) = load_one(tmp_path, GOOD)
    assert ex.id == "sample-stretch"
    assert ex.dose.reps == 10 and ex.dose.hold_s == 10 and ex.dose.sets == 1


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (('category = "stretch"', 'category = "stretchy"'), "category", "one of strength"),
        (("in_bed = true", 'in_bed = "yes"'), "in_bed", "true or false"),
        (("reps = 10", "reps = -1"), "dose.reps", "whole number from 1"),
        (("reps = 10", "reps = 10\nrepz = 3"), "dose.repz", "no such field"),
        (('targets = ["plantar_fascia"]', "targets = []"), "targets", "at least one"),
        (('targets = ["plantar_fascia"]', 'targets = ["spleen"]'), "targets", "entries from"),
        (
            ('required = ["none"]', 'required = ["trampoline"]'),
            "equipment.required",
            "entries from",
        ),
        (('stance = "footcoach_default"', 'stance = "loves"'), "sources[0].stance", "one of"),
        (('id = "sample-stretch"', 'id = "Sample Stretch"'), "id", "kebab-case"),
        (('name = "Sample stretch"\n', ""), "name", "required"),
    ],
)
def test_malformed_field_names_file_field_and_expectation(tmp_path, change, field, expected):
    old, new = change
    with pytest.raises(CatalogDataError) as err:
        load_one(tmp_path, GOOD.replace(old, new))
    assert err.value.file == "sample-stretch.toml"
    assert err.value.field == field
    assert expected in err.value.expected


def test_file_name_must_match_id(tmp_path):
    with pytest.raises(CatalogDataError, match="file name"):
        load_one(tmp_path, GOOD, name="other.toml")


def test_weight_bearing_exercise_cannot_be_in_bed(tmp_path):
    with pytest.raises(CatalogDataError, match="in_bed"):
        load_one(tmp_path, GOOD.replace("weight_bearing = false", "weight_bearing = true"))


def test_broken_toml_names_the_file(tmp_path):
    with pytest.raises(CatalogDataError) as err:
        load_one(tmp_path, GOOD + "\nthis is not toml")
    assert err.value.file == "sample-stretch.toml"
    assert "valid TOML" in err.value.expected


def test_not_core_needs_a_relevance_note(tmp_path):
    with pytest.raises(CatalogDataError, match="relevance_note"):
        load_one(tmp_path, GOOD.replace('foot_relevance = "core"', 'foot_relevance = "none"'))


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(str(package_data()), target)
    return target


def test_the_shipped_data_loads(data_copy):
    library = FileCatalogSource(data_copy).load()
    assert len(library.catalog) >= 40


def test_an_unmirrored_progression_is_rejected(data_copy):
    path = data_copy / "exercises" / "balance-shift-eyes-closed.toml"
    path.write_text(path.read_text().replace('regressions = ["balance-shift"]', "regressions = []"))
    with pytest.raises(CatalogDataError) as err:
        FileCatalogSource(data_copy).load()
    assert err.value.file == "balance-shift-eyes-closed.toml"
    assert err.value.field == "regressions"


def test_a_dangling_source_is_rejected(data_copy):
    path = data_copy / "exercises" / "toe-splay.toml"
    path.write_text(
        path.read_text().replace('source = "002_3d2289a95a75f735.txt"', 'source = "nobody"')
    )
    with pytest.raises(CatalogDataError, match="nobody"):
        FileCatalogSource(data_copy).load()


def test_a_missing_conflicts_file_is_named(data_copy):
    (data_copy / "conflicts.toml").unlink()
    with pytest.raises(CatalogDataError, match=r"conflicts\.toml"):
        FileCatalogSource(data_copy).load()


def test_the_figure_is_read_into_the_exercise(tmp_path):
    (ex,) = load_one(tmp_path, GOOD)
    assert ex.figure is not None
    assert ex.figure.view.value == "foot" and ex.figure.end.big_toe == 60
    assert ex.figure.start.big_toe == 0 and ex.figure.middle is None


def test_an_exercise_without_a_figure_is_refused(tmp_path):
    text = GOOD[: GOOD.index("[figure]")]
    with pytest.raises(CatalogDataError) as err:
        load_one(tmp_path, text)
    assert err.value.file == "sample-stretch.toml" and err.value.field == "figure"


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (('view = "foot"', 'view = "back"'), "figure.view", "one of side, foot, top"),
        (("big_toe = 60", "big_toe = 120"), "figure.end.big_toe", "a whole number from -45 to 90"),
        (('55\nhands = "toes"', '55\nhands = "feet"'), "figure.end.hands", "one of rest"),
        (('tissues = ["plantar_fascia"]', 'tissues = ["sole"]'), "figure.tissues", "entries from"),
        (("hip = 90\nbig_toe", "hip = 90\nknees = 3\nbig_toe"), "figure.end.knees", "no such"),
        (('arrow = "toes"', 'arrow = "nose"'), "figure.arrow", "one of toes"),
    ],
)
def test_a_bad_figure_names_the_field_and_what_is_allowed(tmp_path, change, field, expected):
    old, new = change
    assert old in GOOD
    with pytest.raises(CatalogDataError) as err:
        load_one(tmp_path, GOOD.replace(old, new, 1))
    assert err.value.field == field
    assert expected in str(err.value)


def test_a_figure_whose_poses_are_all_the_same_is_refused(tmp_path):
    text = GOOD.replace("big_toe = 60\ntoes = 55\n", "")
    with pytest.raises(CatalogDataError) as err:
        load_one(tmp_path, text)
    assert err.value.field == "figure.end"
