"""The partner space's writes: members invited and disabled, people referred, their answer."""

from tescforce.errors import DomainError


class PartnerError(DomainError):
    """A refused partner action (invitation, referral, link); the message is for the person."""
