"""The admin search of lists whose rows belong to a candidate (registrations, interests, calls, …).

Django's default search ORs an `icontains` over every field of `search_fields` across the join to the
candidate: on 100,000 candidates PostgreSQL reads every joined row (a registrations search took about
half a second). Here the person's part goes through candidates' own search (candidates/search.py: accents,
case and phone formats do not matter, served by the trigram index), and the list's other fields keep
Django's `icontains`. A row matches when its person matches the whole query, or when every word is found
in its other fields.
"""

from functools import reduce
from operator import and_, or_

from django.db.models import Q

from tescforce.admin_mixins import related_contains, search_words

from . import search
from .models import Candidate


def matching_candidates(parsed: search.SearchQuery, candidates=None):
    """Return the candidates (of `candidates`, or all) whose search text holds every token.

    Erased people have no name, e-mail or phone left to find; leaving them out is also the condition of the
    partial trigram index, without which PostgreSQL reads every row (about 20 times slower).
    """
    candidates = Candidate.objects.all() if candidates is None else candidates
    found = candidates.filter(anonymised_at__isnull=True).annotate(search_norm=search.search_expression())
    for token in parsed.tokens:
        found = found.filter(search_norm__contains=token)
    return found


class PersonSearchMixin:
    """For a ModelAdmin: `person_path` is the path to the candidate (e.g. "candidate", "interview__candidate");
    `search_fields` list the person's fields too, for the words too short to go through the index. Digits find
    people by phone only where `search_fields` offer the person's phone: elsewhere the role may not see
    it, and a search that answers would tell it."""

    person_path = "candidate"

    def get_search_results(self, request, queryset, search_term):
        parsed = search.normalise_query(search_term)
        fields = self.get_search_fields(request)
        phone_hidden = f"{self.person_path}__phone" not in fields
        if not parsed.usable or (phone_hidden and any(token.isdigit() for token in parsed.tokens)):
            return super().get_search_results(request, queryset, search_term)
        person = Q(**{f"{self.person_path}__in": matching_candidates(parsed).values("pk")})
        others = [name for name in fields if not name.startswith(f"{self.person_path}__")]
        words = search_words(search_term)
        if others and words:
            person |= reduce(and_, (reduce(or_, (related_contains(queryset.model, field, word) for field in others))
                                    for word in words))
        return queryset.filter(person), False

