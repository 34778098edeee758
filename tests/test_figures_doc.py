"""docs/figures.md and docs/figures/*.svg are what `footcoach.tools.figures_doc` writes."""

from __future__ import annotations

from footcoach.tools import figures_doc


def test_the_figures_page_is_current(library):
    wanted = figures_doc.files(list(library.catalog))
    wrong = figures_doc.stale(figures_doc.DOCS, wanted)
    assert wrong == [], "run: python -m footcoach.tools.figures_doc"


def test_the_page_names_every_exercise_beside_its_drawing(library):
    text = figures_doc.page(list(library.catalog))
    for ex in library.catalog:
        assert f'<img src="figures/{ex.id}.svg"' in text
        assert f"<code>{ex.id}</code>" in text


def test_check_finds_a_changed_a_missing_and_a_left_over_drawing(library, tmp_path):
    items = list(library.catalog)[:3]
    wanted = figures_doc.files(items)
    assert figures_doc.main(["--docs", str(tmp_path), "--check"]) == 1
    for path, text in wanted.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    assert figures_doc.stale(tmp_path, wanted) == []
    first = f"figures/{items[0].id}.svg"
    (tmp_path / first).write_text("<svg/>", encoding="utf-8")
    (tmp_path / "figures" / "gone.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / f"figures/{items[1].id}.svg").unlink()
    assert figures_doc.stale(tmp_path, wanted) == [
        first,
        f"figures/{items[1].id}.svg",
        "figures/gone.svg",
    ]
