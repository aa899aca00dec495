# The rows of the two former "sent once a day" tables, copied into the sent log with their counts and times.
# The tables themselves go in the next migrations of hotline and prospecting (data and schema apart).

from django.db import migrations

DIGEST_KIND = "hotline.digest"  # hotline.services.DIGEST_KIND
REMINDER_KIND = "prospecting.reminder"  # prospecting.models.REMINDER_KIND


def copy_into_sent_log(apps, schema_editor):
    SentLog = apps.get_model("tescforce", "SentLog")
    digests = apps.get_model("hotline", "HotlineDigestSent").objects.order_by("pk")
    reminders = apps.get_model("prospecting", "ReminderSent").objects.order_by("pk")
    SentLog.objects.bulk_create(
        [SentLog(kind=DIGEST_KIND, user_id=d.owner_id, period=d.day, items=d.items, sent_at=d.sent_at)
         for d in digests.iterator()]
        + [SentLog(kind=REMINDER_KIND, user_id=r.user_id, period=r.day, items=r.next_steps + r.meetings_to_complete,
                   counts={"next_steps": r.next_steps, "meetings_to_complete": r.meetings_to_complete},
                   sent_at=r.sent_at)
           for r in reminders.iterator()],
        batch_size=500)


def copy_back(apps, schema_editor):
    SentLog = apps.get_model("tescforce", "SentLog")
    HotlineDigestSent = apps.get_model("hotline", "HotlineDigestSent")
    ReminderSent = apps.get_model("prospecting", "ReminderSent")
    logs = SentLog.objects.filter(kind__in=[DIGEST_KIND, REMINDER_KIND])
    for log in logs.order_by("pk").iterator():
        if log.kind == DIGEST_KIND:
            row = HotlineDigestSent.objects.create(owner_id=log.user_id, day=log.period, items=log.items)
        else:
            row = ReminderSent.objects.create(user_id=log.user_id, day=log.period,
                                              next_steps=log.counts.get("next_steps", 0),
                                              meetings_to_complete=log.counts.get("meetings_to_complete", 0))
        # sent_at is auto_now_add on the former tables: set it afterwards.
        type(row).objects.filter(pk=row.pk).update(sent_at=log.sent_at)
    logs.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("tescforce", "0006_sentlog"),
        ("hotline", "0002_admin_wording"),
        ("prospecting", "0004_admin_wording"),
    ]

    operations = [migrations.RunPython(copy_into_sent_log, copy_back)]
