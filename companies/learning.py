"""Where a missing skill can be learned: courses for the skills a good match lacks.

Matching names the skills a person lacks for an offer; the partners room knows the courses that teach
them. Neither imports the other (they are rooms of one layer), so the partners room registers its lookup
here from `AppConfig.ready()` and matching asks through `courses_for_gaps`. With nothing registered, no
course is shown.

A lookup takes the gaps of a page at once (one query for all of them, however many offers the page
lists) and returns, for each gap's key, a few `Hint`s, best first, which `matching/_gap_courses.html`
shows. Of a hint's course it reads `title`/`title_en` (through the `tr` filter), `link`, `partner.name`,
`city`, `online`, `starts_on`, `ends_on`, `funding_labels` and `is_running()`.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """Skills one person lacks for one offer, and where that person could learn them."""

    key: Hashable  # the caller's own key (a match's id)
    skill_ids: tuple[int, ...]
    city: str = ""  # where the person lives
    # Where else the person would go (a candidate's mobility): the Toulouse area, the Montpellier area, the
    # rest of the region.
    toulouse_area: bool = False
    montpellier_area: bool = False
    elsewhere_in_region: bool = False


@dataclass(frozen=True)
class Hint:
    """A course for one gap: the course, how near it is, and which of the gap's skills it teaches."""

    course: object
    where: str  # "city" (the person's town or metro area), "department", "online" or "region" (where they'd go)
    taught: list[str]


Lookup = Callable[[list[Gap], int], dict[Hashable, list]]
_lookup: dict[str, Lookup] = {}


def register(name: str, lookup: Lookup) -> None:
    """Let `lookup(gaps, limit)` answer `courses_for_gaps` (one lookup: the last registered wins)."""
    _lookup.clear()
    _lookup[name] = lookup


def courses_for_gaps(gaps: Iterable[Gap], *, limit: int = 3) -> dict[Hashable, list]:
    """Return {gap key: up to `limit` courses}, for the gaps that have skills; {} when no room offers courses."""
    wanted = [gap for gap in gaps if gap.skill_ids]
    if not wanted or not _lookup:
        return {}
    (lookup,) = _lookup.values()
    return lookup(wanted, limit)
