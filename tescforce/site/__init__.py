"""The site: the top floor of the project, the only part of `tescforce` that imports the apps.

Home page, coordinators' dashboard, staff and site urls (`tescforce/urls.py` is the root), the staff
password reset views, the staff accounts admin and the demo data (`manage.py seed_demo`). Everything
else in `tescforce` is the core, which imports no app (docs/architecture.md).
"""
