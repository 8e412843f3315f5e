"""Whether a label colour can be told from the screen's highlights, in every colour mode.

Spans are drawn on their label's colour. The same screen paints the cursor, the highlighted
row of a list, search hits and the selection in colours of its own (Textual's dark theme);
a label colour too close to one of those vanishes exactly where the user looks (the old
blue ORG inside a highlighted skim row). Terminals show one of three colour modes: true
colour, 256 colours or 16 colours. Rich reduces every colour to the mode in use, and two
colours that differ in true colour may become the same one of 256 or of 16, so each check
is made on the colours as reduced to each mode.

The checks, for a label colour in each mode:

- it is not the same reduced colour as a highlight (:data:`HIGHLIGHTS`), and (true colour
  and 256 colours) at least :data:`MIN_DISTANCE` from it in CIELAB (ΔE*76);
- (true colour and 256 colours) its WCAG contrast ratio with each background
  (:data:`BACKGROUNDS`) is at least what that background asks: text is drawn in the colour
  on the reading pane (candidates, suggestions), only fills on the skim list; and the
  black or white text drawn on it (:func:`readable_on`) has at least
  :data:`MIN_TEXT_CONTRAST`. In 16 colours the terminal's own palette decides what the
  colours look like, so there a label colour only has to be another colour number than
  each highlight and background;
- labels differ from each other in the same way, by :data:`MIN_LABEL_DISTANCE`
  (:func:`palette_problems`).

The highlights and backgrounds are those of Textual's dark theme, the only one biaozhu
uses; tests/app/test_colours.py checks them against the running app.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from rich.color import Color, ColorSystem

__all__ = [
    "BACKGROUNDS",
    "HIGHLIGHTS",
    "MIN_BACKGROUND_CONTRAST",
    "MIN_DISTANCE",
    "MIN_FILL_CONTRAST",
    "MIN_LABEL_DISTANCE",
    "MIN_TEXT_CONTRAST",
    "ColourMode",
    "colour_problems",
    "contrast_ratio",
    "distance",
    "highlight_collisions",
    "palette_problems",
    "readable_on",
    "reduced",
    "relative_luminance",
]

#: The least CIELAB distance (ΔE*76) between a label colour and a highlight: clearly another
#: colour, not a shade of it.
MIN_DISTANCE = 30.0
#: The least CIELAB distance between two labels' colours (nine of them must fit).
MIN_LABEL_DISTANCE = 20.0
#: The least WCAG contrast ratio between a label colour and the reading pane's background
#: (candidates and suggestions draw text in the colour: WCAG AA for normal text).
MIN_BACKGROUND_CONTRAST = 4.5
#: The least WCAG contrast ratio between a label colour and a background it only fills
#: cells on (WCAG's minimum for parts of the interface).
MIN_FILL_CONTRAST = 3.0
#: The least WCAG contrast ratio of the black or white text drawn on a label's colour.
MIN_TEXT_CONTRAST = 4.5

#: What else the screen paints, as Textual's dark theme draws it (an app test checks these
#: against the running app): a label colour must not look like any of them.
HIGHLIGHTS: Mapping[str, str] = {
    "the cursor": "#fea62b",
    "a search hit": "#cf7e00",
    "a selection": "#e0e0e0",  # the text reversed
    "the highlighted row": "#0178d4",
    "an unfocused highlighted row": "#0c304b",
    "word shading": "#343f49",
}
#: The backgrounds spans are drawn on, and the least contrast a label colour needs with each:
#: the reading pane (and the spans panel), the skim list.
BACKGROUNDS: Mapping[str, tuple[str, float]] = {
    "the background": ("#121212", MIN_BACKGROUND_CONTRAST),
    "the skim list": ("#272727", MIN_FILL_CONTRAST),
}

_BLACK = "#000000"
_WHITE = "#ffffff"


class ColourMode(enum.Enum):
    """A terminal's colour mode, with the Rich colour system it reduces colours to."""

    TRUECOLOR = ("true colour", ColorSystem.TRUECOLOR)
    EIGHT_BIT = ("256 colours", ColorSystem.EIGHT_BIT)
    STANDARD = ("16 colours", ColorSystem.STANDARD)

    def __init__(self, title: str, system: ColorSystem) -> None:
        self.title = title
        self.system = system


@dataclass(frozen=True, slots=True)
class Reduced:
    """A colour as a mode shows it: which colour it is there, and Rich's RGB for it."""

    identity: str
    rgb: tuple[int, int, int]


@cache
def reduced(colour: str, mode: ColourMode) -> Reduced:
    """``colour`` (``#rrggbb``) as ``mode`` shows it.

    In 16 and 256 colours the identity is the palette number; the RGB is Rich's idea of it
    (in 16 colours the terminal's palette may differ).
    """
    shown = Color.parse(colour).downgrade(mode.system)
    rgb = tuple(shown.get_truecolor())
    identity = colour.lower() if shown.number is None else f"colour {shown.number}"
    return Reduced(identity, (rgb[0], rgb[1], rgb[2]))


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _linear(channel: int) -> float:
    """An sRGB channel (0-255) as linear light (0-1), as WCAG defines it."""
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: tuple[int, int, int] | str) -> float:
    """WCAG 2 relative luminance (0 black to 1 white) of ``#rrggbb`` or an RGB triple."""
    red, green, blue = _rgb(rgb) if isinstance(rgb, str) else rgb
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_ratio(first: tuple[int, int, int] | str, second: tuple[int, int, int] | str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 (the same) to 21 (black and white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def _lab(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    red, green, blue = (_linear(channel) for channel in rgb)
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def distance(first: tuple[int, int, int] | str, second: tuple[int, int, int] | str) -> float:
    """How different two colours look: CIELAB ΔE*76 (about 2 is just noticeable)."""
    one = _lab(_rgb(first) if isinstance(first, str) else first)
    two = _lab(_rgb(second) if isinstance(second, str) else second)
    return math.dist(one, two)


def readable_on(colour: str) -> str:
    """Black or white text, whichever has the higher WCAG contrast on ``colour``."""
    return _BLACK if contrast_ratio(_BLACK, colour) >= contrast_ratio(_WHITE, colour) else _WHITE


def _alike(first: str, second: str, mode: ColourMode, least: float = MIN_DISTANCE) -> bool:
    """Whether two colours look the same in ``mode``, or closer than ``least``."""
    one, two = reduced(first, mode), reduced(second, mode)
    if one.identity == two.identity:
        return True
    # 16 colours: the terminal's palette decides the look, only the number is known.
    return mode is not ColourMode.STANDARD and distance(one.rgb, two.rgb) < least


def colour_problems(colour: str, mode: ColourMode) -> list[str]:
    """Why ``colour`` (``#rrggbb``) does not work as a label colour in ``mode`` (none: it does).

    Each reason is a short phrase, like ``looks like the highlighted row in 256 colours``.
    """
    where = f"in {mode.title}"
    problems = [
        f"looks like {name} {where}"
        for name, highlight in HIGHLIGHTS.items()
        if _alike(colour, highlight, mode)
    ]
    shown = reduced(colour, mode)
    for name, (background, least) in BACKGROUNDS.items():
        behind = reduced(background, mode)
        if mode is ColourMode.STANDARD:
            if shown.identity == behind.identity:
                problems.append(f"is {name} {where}")
        elif contrast_ratio(shown.rgb, behind.rgb) < least:
            problems.append(f"has too little contrast with {name} {where}")
    if mode is not ColourMode.STANDARD:
        text = reduced(readable_on(colour), mode)
        if contrast_ratio(shown.rgb, text.rgb) < MIN_TEXT_CONTRAST:
            problems.append(f"makes the text on it hard to read {where}")
    return problems


def palette_problems(colours: Mapping[str, str]) -> list[str]:
    """Every problem of a set of label colours (name → ``#rrggbb``) in every mode.

    Each colour is checked by :func:`colour_problems`, and each pair of labels must not
    look alike (see the module's note).
    """
    problems: list[str] = []
    for mode in ColourMode:
        for name, colour in colours.items():
            problems.extend(f"{name} {colour} {each}" for each in colour_problems(colour, mode))
        for (one, first), (two, second) in combinations(colours.items(), 2):
            if _alike(first, second, mode, MIN_LABEL_DISTANCE):
                problems.append(f"{one} {first} looks like {two} {second} in {mode.title}")
    return problems


def highlight_collisions(
    colour: str, modes: Sequence[ColourMode] = (ColourMode.TRUECOLOR, ColourMode.EIGHT_BIT)
) -> list[str]:
    """Which highlights ``colour`` looks like in ``modes``, each once, as :data:`HIGHLIGHTS`
    names them."""
    return [
        name
        for name, highlight in HIGHLIGHTS.items()
        if any(_alike(colour, highlight, mode) for mode in modes)
    ]
