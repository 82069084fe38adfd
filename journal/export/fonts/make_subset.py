"""Regenerate the DejaVu Sans subsets shipped here (a developer's tool, not run by the journal).

    pip install fonttools
    python -m journal.export.fonts.make_subset [/usr/share/fonts/truetype/dejavu]

Each face keeps the Latin, Greek and Cyrillic blocks and the punctuation, symbols and
arrows a journal's text uses, without hinting (PDF viewers do not need it): about a tenth
of the full font. At run time journal.export._ttf reads these files and embeds, per
document, only the glyphs it draws; fontTools is not needed there (importing it costs
0.2-0.5 s, the whole budget of a PDF export).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
FACES = ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique")
# (first, last) code points, both included.
BLOCKS = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x02B0, 0x036F),  # spacing modifier letters, combining diacritical marks
    (0x0370, 0x03FF),  # Greek and Coptic
    (0x0400, 0x052F),  # Cyrillic and Cyrillic Supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General Punctuation
    (0x2070, 0x209F),  # superscripts and subscripts
    (0x20A0, 0x20CF),  # currency symbols
    (0x2100, 0x218F),  # letterlike symbols (℃, №), number forms (½, Ⅳ)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (−, ≤, ≥, ±)
    (0x25A0, 0x25FF),  # geometric shapes (□ ■ ● ▲)
    (0x2713, 0x2718),  # check and cross marks
    (0xFFFD, 0xFFFD),  # the replacement character: the placeholder for a character with no glyph
)


def main(source: Path) -> None:
    """Write one subset .ttf per face from the full fonts in `source`."""
    from fontTools import subset  # type: ignore[import-not-found,import-untyped,unused-ignore]

    unicodes = [c for first, last in BLOCKS for c in range(first, last + 1)]
    for face in FACES:
        options = subset.Options()
        options.hinting = False
        options.desubroutinize = True
        options.layout_features = []  # no GSUB/GPOS: the PDF writer places glyphs one after another
        options.name_IDs = ["*"]  # keep the copyright and licence records
        options.notdef_outline = True
        options.drop_tables += ["GDEF", "GSUB", "GPOS", "MATH", "FFTM", "gasp"]
        font = subset.load_font(str(source / f"{face}.ttf"), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        target = HERE / f"{face}-subset.ttf"
        subset.save_font(font, str(target), options)
        print(f"{target.name}: {target.stat().st_size} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"))
