from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


def refold_vectors(apps, schema_editor):
    # Search vectors were folded by a translate() table; unaccent folds the same way, plus ligatures (œ → oe).
    if schema_editor.connection.vendor == "postgresql":
        from companies import search

        search.refresh_postings_everywhere()


class Migration(migrations.Migration):
    dependencies = [("companies", "0005_posting_admin_order_idx")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(refold_vectors, migrations.RunPython.noop),
    ]
