# A meeting saved without a campaign dropped out of the per-campaign figures. From now on it takes its
# prospect's campaign when saved (prospecting.services.meeting_save); this gives the existing ones theirs.

from django.db import migrations
from django.db.models import OuterRef, Subquery


def inherit_campaign(apps, schema_editor):
    Meeting = apps.get_model("prospecting", "Meeting")
    Prospect = apps.get_model("prospecting", "Prospect")
    Meeting.objects.filter(campaign__isnull=True, prospect__campaign__isnull=False).update(
        campaign=Subquery(Prospect.objects.filter(pk=OuterRef("prospect_id")).values("campaign_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("prospecting", "0005_remindersent_in_sent_log"),
    ]

    operations = [
        # Not undone: a campaign given this way cannot be told from one chosen by hand.
        migrations.RunPython(inherit_campaign, migrations.RunPython.noop, elidable=True),
    ]
