"""The API for partners' systems (Django REST framework, `/api/v1/`): referrals and courses with an
organisation's key, and open data (postings, sessions, courses) without one. docs/api.md documents it."""
