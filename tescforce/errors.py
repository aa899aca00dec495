"""The one base of the domain errors: a refused action, with a message for the person who asked.

Each room raises its own subclass (BookingError, CandidateError…) from its services; views turn it into
a form error or a `messages.error`, the admin into an error on the form it re-displays
(`tescforce.admin_mixins.DomainErrorAdminMixin`). Code that must catch "any domain error" catches
`DomainError`.
"""


class DomainError(Exception):
    """A refused action; `message` is translatable and meant for people.

    `field` names the form field the refusal is about, when there is one; `code` is a short stable
    identifier for code that must tell refusals apart.
    """

    def __init__(self, message, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)
