"""Writes docs/figures.md and docs/figures/<id>.svg: every exercise's figure in a grid.

    python -m footcoach.tools.figures_doc            # write the page and the drawings
    python -m footcoach.tools.figures_doc --check    # exit 1 (naming the files) if stale

The drawings come from the catalog files through the same renderer the app uses, so the page is
current exactly when it matches what this writes; tests/test_figures_doc.py checks that.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from html import escape
from pathlib import Path

from footcoach.domain.catalog import Exercise
from footcoach.services.figure_svg import render

DOCS = Path(__file__).resolve().parents[3] / "docs"
COLUMNS = 3
INTRO = """\
# Every exercise, drawn

<!-- Written by `python -m footcoach.tools.figures_doc`; edit the catalog files, not this page. -->

Each exercise in the catalog is drawn by footcoach from the `[figure]` table in its file (see
[catalog-format.md](catalog-format.md#the-figure-table)), by one renderer,
`footcoach.services.figure_svg`. The drawings below move between the start and end positions at
the exercise's own pace; with reduced motion switched on, each shows the two positions side by
side. The app serves them at `GET /api/v1/exercises/{id}/figure.svg` and saves one with
`footcoach exercise ID --figure FILE.svg`.

What a drawing shows:

- the body from the side (or, for the foot exercises, a close-up of the shin and foot; for toe
  spreading, both feet from above), looking at the working foot; when only the arch moves (the
  standing short foot), the foot again, magnified in a circle beside the body;
- the props the exercise needs (towel, band, foot trainer, ball, step, chair, wall, rail, ice
  pack, pillow, backpack) in a lighter grey;
- in orange, the part the exercise works or stretches (the sole's band of tissue, the calf, the
  shin, the small muscles of the foot...);
- a blue arrow beside the path the moving part takes from the start to the end position, curved
  around the joint it turns about, sized to the drawing and kept off the body; for the short
  foot, an arrow up under the rising arch.
- toes that bend at two joints: a toe lift bends them where they join the foot and keeps them
  straight, a toe-tip lift bends their ends, a towel curl curls their ends to grip.

To write this page again after changing a figure: `python -m footcoach.tools.figures_doc`.

"""


def exercises() -> list[Exercise]:
    from footcoach.adapters.catalog_files import FileCatalogSource

    return list(FileCatalogSource().load().catalog)


def page(items: Sequence[Exercise]) -> str:
    """The markdown page: a table of drawings, each with its name, COLUMNS to a row."""
    rows: list[str] = []
    for start in range(0, len(items), COLUMNS):
        cells = []
        for ex in items[start : start + COLUMNS]:
            name = escape(ex.name)
            cells.append(
                f'<td align="center"><img src="figures/{ex.id}.svg" width="240" '
                f'alt="{name}"><br>{name}<br><code>{ex.id}</code></td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return INTRO + "<table>\n" + "\n".join(rows) + "\n</table>\n"


def files(items: Sequence[Exercise]) -> dict[str, str]:
    """Every file this writes, by its path under docs/."""
    out = {"figures.md": page(items)}
    for ex in items:
        out[f"figures/{ex.id}.svg"] = render(ex) + "\n"
    return out


def stale(docs: Path, wanted: dict[str, str]) -> list[str]:
    """The paths (under docs/) that are missing, different, or left over from a removed id."""
    wrong = [
        path
        for path, text in wanted.items()
        if not (docs / path).is_file() or (docs / path).read_text(encoding="utf-8") != text
    ]
    folder = docs / "figures"
    extra = [f"figures/{p.name}" for p in sorted(folder.glob("*.svg"))] if folder.is_dir() else []
    return wrong + [path for path in extra if path not in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m footcoach.tools.figures_doc",
        description="Write docs/figures.md and docs/figures/<id>.svg from the catalog.",
    )
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when stale")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the docs folder")
    args = parser.parse_args(argv)
    wanted = files(exercises())
    if args.check:
        wrong = stale(args.docs, wanted)
        if wrong:
            sys.stderr.write(
                "figures_doc: out of date: "
                + ", ".join(wrong)
                + "; run python -m footcoach.tools.figures_doc\n"
            )
            return 1
        return 0
    (args.docs / "figures").mkdir(parents=True, exist_ok=True)
    for path in stale(args.docs, wanted):
        target = args.docs / path
        if path in wanted:
            target.write_text(wanted[path], encoding="utf-8")
        else:
            target.unlink()
    print(f"figures_doc: {len(wanted) - 1} drawings and figures.md are current in {args.docs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
