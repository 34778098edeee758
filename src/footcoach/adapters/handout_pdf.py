"""The handout as a PDF: the print template (web/templates/print/handout.html) filled with a
services.handout.Handout, laid out by WeasyPrint.

WeasyPrint (and the Pango library under it) is imported only here, when a PDF is made, so no
command or page that does not print pays for it.
"""

from __future__ import annotations

import base64
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from footcoach.domain.errors import FootcoachError
from footcoach.services.handout import Handout

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"

SIZES = {
    False: {"body": "10.5pt", "small": "9pt", "h1": "20pt", "h2": "14pt", "h3": "12pt"},
    True: {"body": "16pt", "small": "16pt", "h1": "26pt", "h2": "21pt", "h3": "18pt"},
}
"""Type sizes; large print never goes below 16 pt, not even in the footer and citations."""


class PdfUnavailableError(FootcoachError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"the handout needs WeasyPrint and the Pango library, which could not be loaded "
            f"({reason}); install them with: pip install weasyprint, and your system's pango "
            "package"
        )


_PROPERTIES = re.compile(r"svg\{((?:--[\w-]+:[^;}]+;?)+)\}")
_RULE = re.compile(r"(?<=[}>])\.([\w-]+)\{([^{}]*)\}")
_CLASSED = re.compile(r'class="([\w-]+)"')
_FONT = re.compile(r"font:\s*(\d+)\s+([\d.]+px)\s+([^;}\"]+)")
"""The font shorthand, which WeasyPrint does not read inside SVG: its labels came out huge."""
_DARK = re.compile(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{[^{}]*\{[^{}]*\}\s*\}")


def print_svg(svg: str) -> str:
    """A figure ready for paper: the light colours written out where the drawing names them
    (WeasyPrint draws SVG but does not resolve CSS custom properties), the dark scheme gone,
    and strokes that scale with the drawing (WeasyPrint thickens non-scaling strokes as the
    drawing shrinks, until the lines run together)."""
    svg = _DARK.sub("", svg).replace("vector-effect:non-scaling-stroke;", "")
    svg = _FONT.sub(r"font-weight:\1;font-size:\2;font-family:\3", svg)
    found = _PROPERTIES.search(svg)
    if found is None:
        return svg
    colours = dict(
        part.split(":", 1) for part in found.group(1).strip(";").split(";") if ":" in part
    )
    svg = re.sub(r"var\((--[\w-]+)\)", lambda m: colours.get(m.group(1), "currentColor"), svg)
    # WeasyPrint does not style what <use> copies from <defs> by class: write each one-class
    # rule onto its elements as a style attribute
    rules = dict(_RULE.findall(svg))
    return _CLASSED.sub(
        lambda m: (
            f'{m.group(0)} style="{rules[m.group(1)]}"' if m.group(1) in rules else m.group(0)
        ),
        svg,
    )


def _inline(svg: str) -> str:
    return base64.b64encode(print_svg(svg).encode("utf-8")).decode("ascii")


_VIEW_BOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
WIDE = 1.3
"""A pose this much wider than tall is drawn above the other, not beside it, so that it stays
big enough to see (a person lying down is about twice as wide as tall)."""


def _wide(svg: str) -> bool:
    found = _VIEW_BOX.search(svg)
    return found is not None and float(found.group(1)) > WIDE * float(found.group(2))


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["b64"] = _inline
    env.tests["wide"] = _wide
    return env


def handout_html(handout: Handout) -> str:
    """The handout as the HTML WeasyPrint lays out."""
    template = _environment().get_template("print/handout.html")
    return str(template.render(h=handout, **SIZES[handout.large_print]))


_ONE_AT_A_TIME = threading.Lock()
"""WeasyPrint shares Pango's font machinery between threads, which is not meant for two
layouts at once: a process lays out one handout at a time (the web's heavy slots bound how
many wait)."""


@dataclass(frozen=True, slots=True)
class Printed:
    pdf: bytes
    pages: int


def print_handout(handout: Handout) -> Printed:
    """The handout laid out: the PDF's bytes and how many pages it has."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailableError(str(exc)) from None
    html = handout_html(handout)
    with _ONE_AT_A_TIME:
        document = HTML(string=html, base_url=str(TEMPLATES)).render()
        pdf: bytes = document.write_pdf()
    return Printed(pdf, len(document.pages))


def handout_pdf(handout: Handout) -> bytes:
    """The handout as PDF bytes."""
    return print_handout(handout).pdf
