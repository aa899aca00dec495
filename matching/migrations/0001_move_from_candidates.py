# Matching's and the job-dating agenda's models, moved from `candidates` with their tables
# (candidates_match…): only Django's state changes. Their content types move too, so permissions and
# admin log entries follow.
import django.db.models.deletion
from django.db import migrations, models


MODELS = ("match", "matchingrun", "jobdatingagenda", "interview", "interviewrelease")


def _move_content_types(apps, src: str, dst: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=src, model=model).first()
        if old is None:
            continue
        # A row made for the new label by an interrupted migrate holds nothing yet: the old one wins.
        ContentType.objects.filter(app_label=dst, model=model).delete()
        old.app_label = dst
        old.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def content_types_to_matching(apps, schema_editor):
    _move_content_types(apps, "candidates", "matching")


def content_types_to_candidates(apps, schema_editor):
    _move_content_types(apps, "matching", "candidates")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("candidates", "0014_hotline_moved_out"),
        ("companies", "0006_unaccent_search"),
        ("events", "0002_message_outbox"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MatchingRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_full_at', models.DateTimeField(blank=True, null=True, verbose_name='dernier calcul complet')),
                        ('last_full_seconds', models.FloatField(blank=True, null=True, verbose_name='durée du dernier calcul complet (s)')),
                        ('last_full_rows', models.PositiveIntegerField(default=0, verbose_name='rapprochements gardés')),
                    ],
                    options={
                        'verbose_name': 'état du rapprochement',
                        'verbose_name_plural': 'états du rapprochement',
                        'db_table': 'candidates_matchingrun',
                    },
                ),
                migrations.CreateModel(
                    name='JobDatingAgenda',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('max_per_candidate', models.PositiveSmallIntegerField(default=3, verbose_name='entretiens au plus par candidat·e')),
                        ('built_at', models.DateTimeField(blank=True, null=True, verbose_name='construit le')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='publié le')),
                        ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='agenda', to='events.session', verbose_name='session')),
                    ],
                    options={
                        'verbose_name': 'agenda de job dating',
                        'verbose_name_plural': 'agendas de job dating',
                        'db_table': 'candidates_jobdatingagenda',
                    },
                ),
                migrations.CreateModel(
                    name='InterviewRelease',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='début')),
                        ('ends_at', models.DateTimeField(verbose_name='fin')),
                        ('reason', models.CharField(choices=[('cancelled', 'Inscription annulée'), ('withdrawn', 'Consentement retiré'), ('erased', 'Compte effacé')], max_length=10, verbose_name='motif')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='libéré le')),
                        ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='recruteurs prévenus le')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='companies.company', verbose_name='entreprise')),
                        ('recruiter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='companies.recruiter', verbose_name='recruteur prévenu')),
                        ('agenda', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='releases', to='matching.jobdatingagenda', verbose_name='agenda')),
                    ],
                    options={
                        'verbose_name': 'créneau libéré',
                        'verbose_name_plural': 'créneaux libérés',
                        'db_table': 'candidates_interviewrelease',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Interview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='début')),
                        ('ends_at', models.DateTimeField(verbose_name='fin')),
                        ('score', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='score')),
                        ('notified_at', models.DateTimeField(blank=True, null=True, verbose_name='prévenu·es le')),
                        ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interviews', to='candidates.candidate', verbose_name='candidat·e')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interviews', to='companies.company', verbose_name='entreprise')),
                        ('posting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interviews', to='companies.jobposting', verbose_name='offre')),
                        ('agenda', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interviews', to='matching.jobdatingagenda', verbose_name='agenda')),
                    ],
                    options={
                        'verbose_name': 'entretien',
                        'verbose_name_plural': 'entretiens',
                        'db_table': 'candidates_interview',
                        'ordering': ['starts_at', 'company_id'],
                    },
                ),
                migrations.CreateModel(
                    name='Match',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(verbose_name='score')),
                        ('explanation', models.JSONField(default=dict, verbose_name='explication')),
                        ('for_posting', models.BooleanField(default=False, verbose_name="parmi les meilleurs pour l'offre")),
                        ('for_candidate', models.BooleanField(default=False, verbose_name='parmi les meilleures offres du candidat')),
                        ('computed_at', models.DateTimeField(auto_now=True, verbose_name='calculé le')),
                        ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='candidates.candidate', verbose_name='candidat·e')),
                        ('posting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='companies.jobposting', verbose_name='offre')),
                    ],
                    options={
                        'verbose_name': 'rapprochement',
                        'verbose_name_plural': 'rapprochements',
                        'db_table': 'candidates_match',
                        'ordering': ['-score'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='jobdatingagenda',
                    constraint=models.CheckConstraint(condition=models.Q(('max_per_candidate__gte', 1)), name='agenda_max_positive'),
                ),
                migrations.AddConstraint(
                    model_name='interview',
                    constraint=models.UniqueConstraint(fields=('agenda', 'company', 'starts_at'), name='interview_company_slot_once'),
                ),
                migrations.AddConstraint(
                    model_name='interview',
                    constraint=models.UniqueConstraint(fields=('agenda', 'candidate', 'starts_at'), name='interview_candidate_slot_once', violation_error_message='Ce·tte candidat·e a déjà un entretien à cette heure.'),
                ),
                migrations.AddConstraint(
                    model_name='interview',
                    constraint=models.UniqueConstraint(fields=('agenda', 'company', 'candidate'), name='interview_pair_once', violation_error_message='Cette entreprise rencontre déjà ce·tte candidat·e.'),
                ),
                migrations.AddConstraint(
                    model_name='interview',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='interview_ends_after_start'),
                ),
                migrations.AddIndex(
                    model_name='match',
                    index=models.Index(fields=['posting', '-score'], name='match_posting_score_idx'),
                ),
                migrations.AddIndex(
                    model_name='match',
                    index=models.Index(fields=['candidate', '-score'], name='match_candidate_score_idx'),
                ),
                migrations.AddConstraint(
                    model_name='match',
                    constraint=models.UniqueConstraint(fields=('candidate', 'posting'), name='match_once'),
                ),
                migrations.AddConstraint(
                    model_name='match',
                    constraint=models.CheckConstraint(condition=models.Q(('score__lte', 100)), name='match_score_range'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_matching, content_types_to_candidates),
    ]
