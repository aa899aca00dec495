# Hotline models are registered in their own topic module.
from . import admin_hotline  # noqa: F401
