# Celery discovers only `<app>.tasks`: the topic modules are imported here.
from .hotline_tasks import *  # noqa: F403
from .matching_tasks import *  # noqa: F403
