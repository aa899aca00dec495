# The reminders sent are in the platform's sent log now (tescforce.SentLog, copied by tescforce 0007): the
# table goes, and ReminderSent stays as the admin's view of the sent log's reminder rows (same admin address).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('prospecting', '0004_admin_wording'),
        ('tescforce', '0007_sentlog_copy'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ReminderSent',
        ),
        migrations.CreateModel(
            name='ReminderSent',
            fields=[
            ],
            options={
                'verbose_name': 'rappel quotidien envoyé',
                'verbose_name_plural': 'rappels quotidiens envoyés',
                'ordering': ['-period', '-id'],
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('tescforce.sentlog',),
        ),
    ]
