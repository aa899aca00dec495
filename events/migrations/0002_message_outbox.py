# The one-time reminders' table becomes the outbox of every events e-mail: claimed, then sent.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

KINDS = [('confirmed', 'Place réservée'), ('waitlisted', "Liste d'attente"), ('promoted', 'Place libérée'),
         ('cancelled', 'Inscription annulée'), ('d7', 'Rappel J-7'), ('d1', 'Rappel J-1'),
         ('survey', 'Questionnaire de satisfaction'), ('no_show', 'Message aux absents')]
STATES = [('pending', 'À envoyer'), ('claimed', "En cours d'envoi"), ('sent', 'Envoyé'), ('dropped', 'Sans objet')]


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0005_posting_admin_order_idx'),
        ('events', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='remindersent', name='reminder_once_per_registration'),
        migrations.RemoveConstraint(model_name='remindersent', name='reminder_once_per_recruiter'),
        migrations.RemoveConstraint(model_name='remindersent', name='reminder_has_recipient'),
        migrations.RenameModel(old_name='ReminderSent', new_name='MessageSent'),
        migrations.AlterModelOptions(
            name='messagesent', options={'verbose_name': 'message envoyé', 'verbose_name_plural': 'messages envoyés'}),
        migrations.AlterField(
            model_name='messagesent', name='kind',
            field=models.CharField(choices=KINDS, max_length=12, verbose_name='type')),
        migrations.AlterField(
            model_name='messagesent', name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='envoyé le')),
        migrations.AlterField(
            model_name='messagesent', name='registration',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='messages', to='events.registration', verbose_name='inscription')),
        migrations.AlterField(
            model_name='messagesent', name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages',
                                    to='events.session', verbose_name='session')),
        migrations.AddField(
            model_name='messagesent', name='variant',
            field=models.CharField(blank=True, default='', max_length=40, verbose_name='variante')),
        # Rows already there were recorded with their sending: they are sent.
        migrations.AddField(
            model_name='messagesent', name='state',
            field=models.CharField(choices=STATES, default='sent', max_length=8, verbose_name='état')),
        migrations.AlterField(
            model_name='messagesent', name='state',
            field=models.CharField(choices=STATES, default='pending', max_length=8, verbose_name='état')),
        migrations.AddField(
            model_name='messagesent', name='created_at',
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name='créé le'),
            preserve_default=False),
        migrations.AddField(
            model_name='messagesent', name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='pris en charge le')),
        migrations.AddField(
            model_name='messagesent', name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='tentatives')),
        migrations.AddField(
            model_name='messagesent', name='last_error',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='dernière erreur')),
        migrations.AddIndex(
            model_name='messagesent',
            index=models.Index(condition=models.Q(('state__in', ['pending', 'claimed'])), fields=['state', 'claimed_at'],
                               name='message_sweep_idx')),
        migrations.AddConstraint(
            model_name='messagesent',
            constraint=models.UniqueConstraint(condition=models.Q(('registration__isnull', False)),
                                               fields=('registration', 'kind', 'variant'),
                                               name='message_once_per_registration')),
        migrations.AddConstraint(
            model_name='messagesent',
            constraint=models.UniqueConstraint(condition=models.Q(('recruiter__isnull', False)),
                                               fields=('session', 'recruiter', 'kind'), name='message_once_per_recruiter')),
        migrations.AddConstraint(
            model_name='messagesent',
            constraint=models.CheckConstraint(condition=models.Q(('registration__isnull', False),
                                                                 ('recruiter__isnull', False), _connector='OR'),
                                              name='message_has_recipient')),
    ]
