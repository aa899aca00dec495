# The hotline finds a misspelt name by trigram similarity to the candidate's first and last names
# (hotline.selectors.candidate_close_matches). A trigram index on the folded names alone lets PostgreSQL
# pick the close rows without reading the e-mails and phones, which match any name's trigrams.
# On SQLite the same function is registered in Python (candidates/search.py).
from django.db import migrations

from tescforce.search_indexes import postgresql_statements

FORWARD = [
    r"""
    CREATE OR REPLACE FUNCTION public.tf_candidate_name(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.tf_immutable_unaccent(coalesce($1, '') || ' ' || coalesce($2, ''))) $$
    """,
    """
    CREATE INDEX IF NOT EXISTS candidate_name_trgm_idx ON candidates_candidate
    USING gin (public.tf_candidate_name(first_name, last_name) gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS candidate_name_trgm_idx",
    "DROP FUNCTION IF EXISTS public.tf_candidate_name(text, text)",
]


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0016_admin_wording"),
    ]

    operations = [
        postgresql_statements(FORWARD, BACKWARD),
    ]
