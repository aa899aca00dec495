# The search texts of callers who are not candidates kept in generated columns, as the candidates' are
# (candidates 0021): the trigram indexes' rows are checked again by reading a column, not by folding each
# name anew. The two indexes keep their names and conditions. On SQLite the functions are registered in
# Python on each connection (hotline.selectors.register_sqlite_functions).
from django.db import migrations, models

from tescforce.search_indexes import postgresql_statements

FORWARD = [
    "DROP INDEX IF EXISTS call_caller_search_trgm_idx",
    "DROP INDEX IF EXISTS call_caller_name_trgm_idx",
    """
    CREATE INDEX call_caller_search_trgm_idx ON candidates_hotlinecall
    USING gin (caller_search_text gin_trgm_ops) WHERE candidate_id IS NULL
    """,
    """
    CREATE INDEX call_caller_name_trgm_idx ON candidates_hotlinecall
    USING gin (caller_name_text gin_trgm_ops) WHERE candidate_id IS NULL
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS call_caller_search_trgm_idx",
    "DROP INDEX IF EXISTS call_caller_name_trgm_idx",
    """
    CREATE INDEX call_caller_search_trgm_idx ON candidates_hotlinecall
    USING gin (public.tf_caller_search(caller_name, caller_key) gin_trgm_ops) WHERE candidate_id IS NULL
    """,
    """
    CREATE INDEX call_caller_name_trgm_idx ON candidates_hotlinecall
    USING gin (public.tf_caller_name(caller_name) gin_trgm_ops) WHERE candidate_id IS NULL
    """,
]


class Migration(migrations.Migration):

    dependencies = [
        ("hotline", "0004_unregistered_caller_trigram_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="hotlinecall",
            name="caller_name_text",
            field=models.GeneratedField(
                db_persist=True, expression=models.Func(models.F("caller_name"), function="tf_caller_name"),
                output_field=models.TextField(), verbose_name="nom pour la recherche"),
        ),
        migrations.AddField(
            model_name="hotlinecall",
            name="caller_search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(models.F("caller_name"), models.F("caller_key"), function="tf_caller_search"),
                output_field=models.TextField(), verbose_name="texte de recherche"),
        ),
        postgresql_statements(FORWARD, BACKWARD),
    ]
