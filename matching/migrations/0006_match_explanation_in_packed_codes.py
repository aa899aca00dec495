"""The explanation's codes are kept in `packed` alone: the rows written before `packed` existed get theirs
from their JSON first, then the JSON column goes."""

from django.db import migrations

from matching import engine

BATCH = 2000


def _rewrite(Match, rows, field: str, convert) -> None:
    """Set `field` to `convert(value)` for each (pk, value) of `rows`, by batches; a value `convert` cannot take
    (it returns None) is left alone."""
    changed = []
    for pk, value in rows.iterator(BATCH):
        converted = convert(value)
        if converted is not None:
            changed.append(Match(pk=pk, **{field: converted}))
        if len(changed) == BATCH:
            Match.objects.bulk_update(changed, [field])
            changed = []
    Match.objects.bulk_update(changed, [field])


def _packed(codes):
    try:
        return engine.pack_explanations([codes])[0]
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None  # another format: left empty, the next full recompute writes the row again


def pack_from_json(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    _rewrite(Match, Match.objects.filter(packed__isnull=True).values_list("pk", "explanation"), "packed", _packed)


def json_from_packed(apps, schema_editor):
    Match = apps.get_model("matching", "Match")
    _rewrite(Match, Match.objects.exclude(packed__isnull=True).values_list("pk", "packed"), "explanation",
             engine.unpack)


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0005_match_packed_codes"),
    ]

    operations = [
        migrations.RunPython(pack_from_json, json_from_packed),
        migrations.RemoveField(model_name="match", name="explanation"),
    ]
