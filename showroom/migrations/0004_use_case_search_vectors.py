import django.contrib.postgres.search
from django.db import migrations


def fill_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from showroom import search

        search.refresh_everywhere()


class Migration(migrations.Migration):
    dependencies = [
        ("companies", "0006_unaccent_search"),  # the unaccent extension
        ("showroom", "0003_names_sorted_with_accents_in_place"),
    ]

    operations = [
        migrations.AddField(
            model_name="usecase",
            name="search_vector_en",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="usecase",
            name="search_vector_fr",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop),
    ]
