"""Reading what a WeasyPrint document lays out, page by page, for the tests of PDFs (no PDF parser needed)."""

from weasyprint.formatting_structure import boxes

PX_TO_MM = 25.4 / 96  # WeasyPrint lays out in CSS pixels, 96 to the inch


def _texts(box):
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def page_texts(document) -> list[str]:
    """The text of each page of a laid-out document, words joined by single spaces."""
    return [" ".join(" ".join(_texts(page._page_box)).split()) for page in document.pages]


def blocks_with_class(document, css_class: str) -> list[tuple[int, object]]:
    """(page index, box) of every block box whose element carries `css_class`, in document order."""
    found = []

    def walk(box, page):
        box = getattr(box, "_box", box)  # an absolutely positioned box sits behind its placeholder
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        if isinstance(box, boxes.BlockBox) and css_class in classes:
            found.append((page, box))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for index, page in enumerate(document.pages):
        walk(page._page_box, index)
    return found


def box_mm(box) -> tuple[float, float, float, float]:
    """A box's border box as (left, top, width, height) in millimetres from the page's top left corner."""
    return tuple(round(v * PX_TO_MM, 2) for v in (box.border_box_x(), box.border_box_y(), box.border_width(),
                                                   box.border_height()))
