"""The partners room's admin pages (each topic in its own module)."""

from . import course_admin  # noqa: F401
from .api import admin as api_admin  # noqa: F401
