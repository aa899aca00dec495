"""The admin search of lists whose rows belong to a candidate (registrations, interests, calls, …).

Django's default search ORs an `icontains` over every field of `search_fields` across the join to the
candidate: on 100,000 candidates PostgreSQL reads every joined row (a registrations search took about
half a second). Here the person's part goes through candidates' own search (candidates/search.py: accents,
case and phone formats do not matter, served by the trigram index), and the list's other fields keep
Django's `icontains`. A row matches when its person matches the whole query, or when every word is found
in its other fields.
"""

from django.db.models import Q

from tescforce.admin_mixins import follows_foreign_keys, search_words, words_in_fields

from . import search

# Up to this many people found, their ids go to the list's query as a list rather than a subquery.
# PostgreSQL then knows how many they are and walks the list in its order testing each row against them
# (registrations « dupont », 833 people: about 3 ms of SQL). Given the subquery, it expected as many
# people and probed the candidates' table once per row walked (5,555 probes, 18 ms). A word that more
# people hold stays a subquery, whose rows come early in any walk.
FEW_PEOPLE = 1000


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
        people = search.matching_candidates(parsed).values_list("pk", flat=True)
        few = list(people[:FEW_PEOPLE + 1])
        person = Q(**{f"{self.person_path}__in": few if len(few) <= FEW_PEOPLE else people})
        others = [name for name in fields if not name.startswith(f"{self.person_path}__")]
        words = search_words(search_term)
        if others and words:
            person |= words_in_fields(queryset.model, others, words)
        # A field across a many-valued relation may find a row twice: the admin then asks for DISTINCT.
        return queryset.filter(person), not all(follows_foreign_keys(queryset.model, f) for f in others)

