# The hotline's models moved to the `hotline` app (hotline/0001): Django forgets them here, the tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0013_candidate_link_generation"),
        ("hotline", "0001_move_from_candidates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="hotlinecall", name="candidate"),
                migrations.RemoveField(model_name="hotlinecall", name="follow_up_owner"),
                migrations.RemoveField(model_name="hotlinecall", name="logged_by"),
                migrations.RemoveField(model_name="hotlinedigestsent", name="owner"),
                migrations.RemoveField(model_name="relocationrequest", name="candidate"),
                migrations.RemoveField(model_name="relocationrequest", name="owner"),
                migrations.DeleteModel(name="CallbackRequest"),
                migrations.DeleteModel(name="HotlineCall"),
                migrations.DeleteModel(name="HotlineDigestSent"),
                migrations.DeleteModel(name="RelocationRequest"),
            ],
            database_operations=[],
        ),
    ]
