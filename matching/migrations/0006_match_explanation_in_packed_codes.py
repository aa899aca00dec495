"""The explanation's codes are kept in `packed` alone: the rows written before `packed` existed get theirs
from their JSON first, then the JSON column goes."""

from django.db import migrations

from matching import engine

BATCH = 2000


def pack_from_json(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    rows, changed = Match.objects.filter(packed__isnull=True).values_list("pk", "explanation").iterator(BATCH), []
    for pk, codes in rows:
        try:
            packed = engine.pack_explanations([codes])[0]
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
            continue  # another format: left empty, the next full recompute writes the row again
        changed.append(Match(pk=pk, packed=packed))
        if len(changed) == BATCH:
            Match.objects.bulk_update(changed, ["packed"])
            changed = []
    Match.objects.bulk_update(changed, ["packed"])


def json_from_packed(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    changed = []
    for pk, packed in Match.objects.exclude(packed__isnull=True).values_list("pk", "packed").iterator(BATCH):
        changed.append(Match(pk=pk, explanation=engine.unpack(packed)))
        if len(changed) == BATCH:
            Match.objects.bulk_update(changed, ["explanation"])
            changed = []
    Match.objects.bulk_update(changed, ["explanation"])


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0005_match_packed_codes"),
    ]

    operations = [
        migrations.RunPython(pack_from_json, json_from_packed),
        migrations.RemoveField(model_name="match", name="explanation"),
    ]
