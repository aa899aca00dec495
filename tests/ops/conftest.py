import pytest

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def login_form(client):
    """Post the admin login form from a given client address, as a browser would."""

    def post(username: str, password: str, *, ip: str = "203.0.113.7", **headers):
        return client.post("/admin/login/?next=/admin/", {"username": username, "password": password},
                           REMOTE_ADDR=ip, **headers)

    return post


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", "admin@tescforce.example", PASSWORD)
