import re

import pytest
from django.contrib.sessions.models import Session as StoredSession
from django.core import mail
from django.db import connection, transaction
from django.utils import translation

from companies.models import JobFamily, Skill
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode.\r\n" + b"\x00" * 200
LINK_RE = re.compile(r"https?://\S+?/(fr|en)/(inscription/confirmer|mon-espace/lien|action)/(\S+?)/")


@pytest.fixture
def instant_commit(monkeypatch):
    # The test transaction never commits: run the after-commit work (e-mails, file deletion) at once.
    # Not autouse: the other test modules of this folder capture on-commit callbacks their own way.
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def french():
    # Service errors are read in the active language; a previous English request must not leak in.
    with translation.override("fr"):
        yield


@pytest.fixture
def reference(db):
    python = factories.SkillFactory(name="Python", slug="python", category=Skill.Category.LANGUAGE)
    sap = factories.SkillFactory(name="SAP", slug="sap", category=Skill.Category.ERP)
    dev = JobFamily.objects.get_or_create(code="M1805", defaults={"label": "Études et développement informatique"})[0]
    return {"skills": [python, sap], "family": dev}


def registration_data(reference, **overrides):
    data = {
        "email": "camille.durand@example.org",
        "first_name": "Camille",
        "last_name": "Durand",
        "phone": "06 12 34 56 78",
        "postcode": "31000",
        "city": "Toulouse",
        "profile": "retraining",
        "education": "bac3",
        "experience": "none",
        "desired_job_families": [reference["family"].pk],
        "skills": [s.pk for s in reference["skills"]],
        "mobility_toulouse": "on",
        "mobility_remote": "on",
        "contract_wanted": "cdi",
        "available_from": "2027-01-15",
        "gender": "undisclosed",
        "consent_processing": "on",
        "consent_shown": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def last_link(kind: str | None = None) -> str:
    """Return the path of the last signed link e-mailed (optionally of one kind)."""
    for message in reversed(mail.outbox):
        for match in LINK_RE.finditer(message.body):
            if kind is None or match.group(2) == kind:
                return "/" + match.group(0).split("/", 3)[3]
    raise AssertionError("no link in the outbox")


@pytest.fixture
def confirmed_candidate(db):
    return factories.CandidateFactory(first_name="Hélène", last_name="Dupont", email="helene@example.org",
                                      phone="+33612345678", shown_to_recruiters=True)


@pytest.fixture
def space_client(client, confirmed_candidate):
    from candidates import tokens

    token = tokens.make_token(candidate_public_id=str(confirmed_candidate.public_id), purpose="space")
    response = client.get(f"/fr/mon-espace/lien/{token}/")
    assert response.status_code == 302
    return client


def database_text() -> dict[str, str]:
    """Return the text of every column of every table ("table.column" → its values, lower-cased), stored
    sessions decoded (their data is signed and encoded: a column search cannot read it)."""
    texts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The columns as a query names them: SQLite's introspection parses each table's SQL (seconds).
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE 1 = 0")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            quoted = ", ".join(f"CAST({connection.ops.quote_name(c)} AS TEXT)" for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = cursor.fetchall()
            for index, column in enumerate(columns):
                texts[f"{table}.{column}"] = "\n".join(str(row[index]) for row in rows).lower()
    for stored in StoredSession.objects.all():
        texts[f"django_session[{stored.session_key[:6]}]"] = str(stored.get_decoded()).lower()
    return texts


def tables_containing(value: str, texts: dict[str, str] | None = None) -> list[str]:
    """Search every column of every table, and every stored session, for `value` (case-insensitive)."""
    texts = database_text() if texts is None else texts
    return [where for where, text in texts.items() if value.lower() in text]
