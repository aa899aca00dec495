# The digests sent are in the platform's sent log now (tescforce.SentLog, copied by tescforce 0007).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("hotline", "0002_admin_wording"),
        ("tescforce", "0007_sentlog_copy"),
    ]

    operations = [migrations.DeleteModel(name="HotlineDigestSent")]
