# The admin's search read every meeting, notes included, without an index (tescforce/search_indexes.py).
from django.db import migrations

from tescforce.search_indexes import upper_trigram_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("prospecting", "0006_meeting_campaign_from_prospect"),
    ]

    operations = [
        upper_trigram_indexes({
            "prospect_name_upper_trgm_idx": ("prospecting_prospect", "name"),
            "meeting_place_upper_trgm_idx": ("prospecting_meeting", "place"),
            "meeting_notes_upper_trgm_idx": ("prospecting_meeting", "notes"),
            "meeting_next_step_upper_trgm_idx": ("prospecting_meeting", "next_step"),
        }),
    ]
