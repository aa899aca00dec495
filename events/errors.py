"""The events room's refusal (a module of its own: services, e-mails and tickets all raise it)."""

from tescforce.errors import DomainError


class BookingError(DomainError):
    """A booking, cancellation, check-in or ticket that cannot be done; the message is for the person."""
