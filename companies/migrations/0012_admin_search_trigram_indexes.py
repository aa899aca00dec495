# The admin's search (`icontains`: UPPER(column) LIKE '%WORD%') reads every posting without an index. Trigram
# indexes on the same expressions let PostgreSQL find the rows through them and combine the columns of a
# search with a bitmap OR (tescforce.admin_mixins.related_contains passes the companies found as ids).
from django.db import migrations

INDEXES = {
    "posting_title_upper_trgm_idx": ("companies_jobposting", "title"),
    "posting_city_upper_trgm_idx": ("companies_jobposting", "city"),
    "company_name_upper_trgm_idx": ("companies_company", "name"),
}


def _forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Created here, not by TrigramExtension(): going back past this migration must not drop the extension
        # that other rooms' indexes use.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)")


def _backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("companies", "0011_partner_prescriber_kinds"),
    ]

    operations = [
        migrations.RunPython(_forward, _backward, elidable=False),
    ]
