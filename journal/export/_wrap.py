"""Text measured in the PDF faces and broken into lines between words; a word wider than its line is hyphenated.

Pure arithmetic on the widths journal.export._ttf reads: the PDF layout and the wallet
card's fitting (its HTML form too) use the same measure, without the PDF writer.
"""

from __future__ import annotations

from journal.export._ttf import PLACEHOLDER, face

PT_PER_MM = 72 / 25.4
_BREAK_AFTER = "-/"  # a long word may break after these without an added hyphen


def text_width(text: str, style: str, size: float) -> float:
    """How wide `text` is in mm in the face of `style` at `size` points."""
    font = face(style)
    widths = font.width_of
    try:
        units = sum(map(widths.__getitem__, text))
    except KeyError:  # drawn as the placeholder
        units = sum(widths.get(c, widths[PLACEHOLDER]) for c in text)
    return units * size / PT_PER_MM / font.units_per_em


def split_word(word: str, width: float, measure: MeasureFn) -> list[str]:
    """A word too wide for `width` as pieces that fit: after a '-' or '/' in it, else cut with a visible hyphen."""
    pieces: list[str] = []
    while measure(word) > width and len(word) > 1:
        fits = 1
        while fits < len(word) and measure(word[: fits + 1] + "-") <= width:
            fits += 1
        natural = max((i + 1 for i in range(fits) if word[i] in _BREAK_AFTER and 0 < i < len(word) - 1), default=0)
        if natural and measure(word[:natural]) <= width:
            pieces.append(word[:natural])
            word = word[natural:]
        else:
            pieces.append(word[:fits] + "-")
            word = word[fits:]
    pieces.append(word)
    return pieces


def wrap(text: str, width: float, measure: MeasureFn) -> list[str]:
    """`text` in lines no wider than `width` mm (as `measure` measures), broken at spaces; see split_word."""
    space = measure(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, line_w = "", 0.0
        for word in paragraph.split():
            word_w = measure(word)
            if line and line_w + space + word_w <= width:
                line, line_w = f"{line} {word}", line_w + space + word_w
                continue
            if line:
                lines.append(line)
            pieces = split_word(word, width, measure) if word_w > width else [word]
            lines.extend(pieces[:-1])
            line = pieces[-1]
            line_w = measure(line)
        lines.append(line)
    return lines or [""]


class MeasureFn:
    """The width of a text in mm in one face and size, remembered (wrapping measures the same words often)."""

    def __init__(self, style: str, size: float) -> None:
        self.style, self.size = style, size
        self._known: dict[str, float] = {}

    def __call__(self, text: str) -> float:
        """`text`'s width in mm."""
        width = self._known.get(text)
        if width is None:
            width = self._known[text] = text_width(text, self.style, self.size)
        return width


def measure(style: str, size: float) -> MeasureFn:
    """A remembered measure of one face and size."""
    return _MEASURES.setdefault((style, size), MeasureFn(style, size))


_MEASURES: dict[tuple[str, float], MeasureFn] = {}
