from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

from tescforce.search_indexes import postgresql_statements

# The hotline finds a caller by any part of their name, e-mail or phone, accents and case ignored.
# `unaccent` is only STABLE, so an IMMUTABLE wrapper lets it appear in an index expression; the
# search expression itself is a function so that the index and the queries share one definition.
# On SQLite the same function is registered in Python (candidates/search.py).
FORWARD = [
    r"""
    CREATE OR REPLACE FUNCTION public.tf_immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION public.tf_candidate_search(text, text, text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.tf_immutable_unaccent(coalesce($1, '') || ' ' || coalesce($2, '') || ' '
                                                   || coalesce($3, '')))
                 || ' ' || regexp_replace(regexp_replace(coalesce($4, ''), '^\+33', '0'), '[^0-9]', '', 'g') $$
    """,
    """
    CREATE INDEX IF NOT EXISTS candidate_search_trgm_idx ON candidates_candidate
    USING gin (public.tf_candidate_search(first_name, last_name, email, phone) gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS candidate_search_trgm_idx",
    "DROP FUNCTION IF EXISTS public.tf_candidate_search(text, text, text, text)",
    "DROP FUNCTION IF EXISTS public.tf_immutable_unaccent(text)",
]


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0003_hotline_fields"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        postgresql_statements(FORWARD, BACKWARD),
    ]
