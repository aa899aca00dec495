"""Who calls the API: an organisation's key (`Authorization: Api-Key <key>`), or nobody (open data).

A missing key on a partner endpoint answers 401; an unknown, malformed or revoked key 401 as well, with a
message naming what is wrong, in the language of the request (Accept-Language). The throttles count calls in
the shared cache, per key for a key, per client address without one.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination

from tescforce.security import client_ip

from ..models import ApiKey
from . import keys

KEYWORD = "Api-Key"


class ApiKeyAuthentication(BaseAuthentication):
    """`request.auth` is the organisation's ApiKey (with its `partner`); there is no user."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête Authorization mal formé : écrivez « Api-Key <clé> »."))
        try:
            key = keys.api_key_check(header[1].decode("ascii"))
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Clé d'API mal formée : elle s'écrit préfixe.secret.")) from exc
        except keys.ApiKeyError as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from exc
        return AnonymousUser(), key

    def authenticate_header(self, request):
        # A 401 rather than a 403 for a missing key, and the way to send one.
        return f'{KEYWORD} realm="api"'


class HasApiKey(permissions.BasePermission):
    """An organisation's active key: what every endpoint asks, but the open data."""

    message = _("Cette adresse demande la clé d'API de votre organisation.")

    def has_permission(self, request, view):
        return isinstance(request.auth, ApiKey)


def partner_of(request):
    """The organisation whose key made the request (None while the schema is generated: no request is made)."""
    return getattr(request.auth, "partner", None)


class _SettingsRateThrottle(throttling.SimpleRateThrottle):
    # The rate is read from the settings on each request (the class attribute DRF offers is read once).
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)


class KeyRateThrottle(_SettingsRateThrottle):
    """Calls per organisation's key (API_RATE_KEY)."""

    scope = "api_key"
    setting = "API_RATE_KEY"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class AnonRateThrottle(_SettingsRateThrottle):
    """Calls per client address without a key (API_RATE_ANON): the open data's readers."""

    scope = "api_anon"
    setting = "API_RATE_ANON"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The key as the OpenAPI schema (and Swagger UI's "Authorize") describes it."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Your organisation's key, as `Api-Key <prefix>.<secret>`."}


class Pagination(PageNumberPagination):
    """`?page=2`, and `?page_size=` up to 200 (50 by default)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
