# The hotline also searches the calls of callers who are not candidates (selectors.unregistered_caller_search):
# by their folded name and contact key as typed, or by a name close to what was typed. Without an index
# PostgreSQL compared every such call (12 ms at 100,000 candidates, 73 ms at 1,000,000); these two trigram
# indexes, on the expressions the search uses, answer both. On SQLite the search folds in Python instead.
from django.db import migrations

from tescforce.search_indexes import postgresql_statements

FORWARD = [
    r"""
    CREATE OR REPLACE FUNCTION public.tf_caller_name(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.tf_immutable_unaccent(coalesce($1, ''))) $$
    """,
    r"""
    CREATE OR REPLACE FUNCTION public.tf_caller_search(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.tf_immutable_unaccent(coalesce($1, ''))) || ' ' || coalesce($2, '') $$
    """,
    """
    CREATE INDEX IF NOT EXISTS call_caller_search_trgm_idx ON candidates_hotlinecall
    USING gin (public.tf_caller_search(caller_name, caller_key) gin_trgm_ops)
    WHERE candidate_id IS NULL
    """,
    """
    CREATE INDEX IF NOT EXISTS call_caller_name_trgm_idx ON candidates_hotlinecall
    USING gin (public.tf_caller_name(caller_name) gin_trgm_ops)
    WHERE candidate_id IS NULL
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS call_caller_name_trgm_idx",
    "DROP INDEX IF EXISTS call_caller_search_trgm_idx",
    "DROP FUNCTION IF EXISTS public.tf_caller_search(text, text)",
    "DROP FUNCTION IF EXISTS public.tf_caller_name(text)",
]


class Migration(migrations.Migration):

    dependencies = [
        ("hotline", "0003_delete_hotlinedigestsent"),
        ("candidates", "0004_hotline_search"),  # tf_immutable_unaccent
    ]

    operations = [
        postgresql_statements(FORWARD, BACKWARD),
    ]
