# The admin's search read every posting without an index (tescforce/search_indexes.py).
from django.db import migrations

from tescforce.search_indexes import upper_trigram_indexes


class Migration(migrations.Migration):

    dependencies = [
        ("companies", "0011_partner_prescriber_kinds"),
    ]

    operations = [
        upper_trigram_indexes({
            "posting_title_upper_trgm_idx": ("companies_jobposting", "title"),
            "posting_city_upper_trgm_idx": ("companies_jobposting", "city"),
            "company_name_upper_trgm_idx": ("companies_company", "name"),
        }),
    ]
