"""The joined book embeds each font once, with every glyph its parts draw: what a printer's RIP and a
reader see is the text of the parts, glyph for glyph."""

from __future__ import annotations

import io

import pikepdf

from publisher.layout.fonts import embedded_name, shipped_files, widths_of


def programs(pdf: bytes) -> dict[tuple[int, int], str]:
    """Every embedded font program the pages and their forms (the folios) draw with → its PostScript name."""
    found = {}
    with pikepdf.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            forms = [page.obj, *(x for _, x in page.obj.Resources.get("/XObject", pikepdf.Dictionary()).items())]
            for holder in forms:
                for _, font in holder.get("/Resources", pikepdf.Dictionary()).get("/Font", pikepdf.Dictionary()).items():
                    for descendant in font.get("/DescendantFonts", pikepdf.Array()):
                        program = descendant.FontDescriptor.FontFile3
                        found.setdefault(program.objgen, embedded_name(program.read_bytes()))
    return found


def test_each_font_is_embedded_once_for_the_whole_book(volume):
    result, _ = volume
    found = programs(result.output.read_bytes())
    names = list(found.values())
    assert len(result.paginated.layouts) > 10                         # a book of many parts…
    assert sorted(names) == sorted(set(names)) and set(names) <= set(shipped_files())   # …one program a font


def test_the_shared_programs_hold_every_glyph_the_parts_draw(volume):
    """Each glyph a font dictionary gives a width to is drawn by the program it points to as by the font file
    of fonts/ (a glyph left out would be empty: nothing printed). The pages themselves, pixel for pixel, are
    those of one document (test_parts)."""
    import uharfbuzz as hb

    result, _ = volume
    originals = {name: hb.Font(hb.Face(hb.Blob(path.read_bytes()))) for name, path in shipped_files().items()}
    checked = 0
    with pikepdf.open(result.output) as document:
        for page in document.pages:
            for _, font in page.obj.Resources.get("/Font", pikepdf.Dictionary()).items():
                descendant = font.DescendantFonts[0]
                data = descendant.FontDescriptor.FontFile3.read_bytes()
                shared, original = hb.Font(hb.Face(hb.Blob(data))), originals[embedded_name(data)]
                for glyph in widths_of(descendant.W):
                    assert shared.get_glyph_extents(glyph) == original.get_glyph_extents(glyph), glyph
                    checked += 1
    assert checked > 1000
