# Matching's and the job-dating agenda's models moved to the `matching` app (matching/0001): Django
# forgets them here, the tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0014_hotline_moved_out"),
        ("matching", "0001_move_from_candidates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='interview',
                    name='agenda',
                ),
                migrations.RemoveField(
                    model_name='interview',
                    name='candidate',
                ),
                migrations.RemoveField(
                    model_name='interview',
                    name='company',
                ),
                migrations.RemoveField(
                    model_name='interview',
                    name='posting',
                ),
                migrations.RemoveField(
                    model_name='interviewrelease',
                    name='agenda',
                ),
                migrations.RemoveField(
                    model_name='interviewrelease',
                    name='company',
                ),
                migrations.RemoveField(
                    model_name='interviewrelease',
                    name='recruiter',
                ),
                migrations.RemoveField(
                    model_name='jobdatingagenda',
                    name='session',
                ),
                migrations.RemoveField(
                    model_name='match',
                    name='candidate',
                ),
                migrations.RemoveField(
                    model_name='match',
                    name='posting',
                ),
                migrations.DeleteModel(
                    name='MatchingRun',
                ),
                migrations.DeleteModel(
                    name='Interview',
                ),
                migrations.DeleteModel(
                    name='InterviewRelease',
                ),
                migrations.DeleteModel(
                    name='JobDatingAgenda',
                ),
                migrations.DeleteModel(
                    name='Match',
                ),
            ],
            database_operations=[],
        ),
    ]
