import secrets

from django.db import migrations, models

import events.models


def give_each_booking_a_nonce(apps, schema_editor):
    """Each existing booking gets its own ticket nonce (AddField would give them all the same one)."""
    Registration = apps.get_model("events", "Registration")
    for pk in Registration.objects.filter(ticket_nonce="").values_list("pk", flat=True).iterator():
        Registration.objects.filter(pk=pk).update(ticket_nonce=secrets.token_hex(8))


class Migration(migrations.Migration):

    dependencies = [
        ("events", "0004_registration_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="ticket_nonce",
            field=models.CharField(default="", editable=False, max_length=32, verbose_name="clé du billet"),
            preserve_default=False,
        ),
        migrations.RunPython(give_each_booking_a_nonce, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="ticket_nonce",
            field=models.CharField(default=events.models.new_ticket_nonce, editable=False, max_length=32,
                                   verbose_name="clé du billet"),
        ),
    ]
