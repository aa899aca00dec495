# The search texts kept in generated columns: a trigram index hands back rows to check again, and the
# check folded each row's names anew (the index's expression) where it now reads a column. The two trigram
# indexes keep their names and conditions, on the columns instead of the expressions. On SQLite the
# functions are registered in Python on each connection (candidates.search.register_sqlite_functions).
from django.db import migrations, models

from tescforce.search_indexes import postgresql_statements

FORWARD = [
    "DROP INDEX IF EXISTS candidate_search_trgm_idx",
    "DROP INDEX IF EXISTS candidate_name_trgm_idx",
    """
    CREATE INDEX candidate_search_trgm_idx ON candidates_candidate USING gin (search_text gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
    """
    CREATE INDEX candidate_name_trgm_idx ON candidates_candidate USING gin (name_text gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
    # The planner guesses how many rows a trigram condition keeps from the column's histogram. With the
    # default 100 buckets, none held a name close to "marie" or "dupont": 43 rows expected, 2,607 and
    # 1,735 found, and the misspelt-name pass read the index for the commoner word (16,470 rows to check).
    """
    ALTER TABLE candidates_candidate ALTER COLUMN search_text SET STATISTICS 1000,
                                     ALTER COLUMN name_text SET STATISTICS 1000
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS candidate_search_trgm_idx",
    "DROP INDEX IF EXISTS candidate_name_trgm_idx",
    """
    CREATE INDEX candidate_search_trgm_idx ON candidates_candidate
    USING gin (public.tf_candidate_search(first_name, last_name, email, phone) gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
    """
    CREATE INDEX candidate_name_trgm_idx ON candidates_candidate
    USING gin (public.tf_candidate_name(first_name, last_name) gin_trgm_ops)
    WHERE anonymised_at IS NULL
    """,
]


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0020_candidate_created_index_covers_the_dashboard"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="name_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(models.F("first_name"), models.F("last_name"), function="tf_candidate_name"),
                output_field=models.TextField(), verbose_name="nom pour la recherche"),
        ),
        migrations.AddField(
            model_name="candidate",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(models.F("first_name"), models.F("last_name"), models.F("email"),
                                       models.F("phone"), function="tf_candidate_search"),
                output_field=models.TextField(), verbose_name="texte de recherche"),
        ),
        postgresql_statements(FORWARD, BACKWARD),
    ]
