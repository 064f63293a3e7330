"""The exception tree: user errors end a command with one line; system errors may be retried."""


class HelpdeskError(Exception):
    """Anything the command line reports as one clear line on stderr."""


class ConfigError(HelpdeskError):
    """The config file is missing, unreadable, or has a wrong key or type (named in the message)."""


class InputError(HelpdeskError):
    """A file or argument the user gave cannot be used."""


class TemporaryFailure(HelpdeskError):
    """A dependency (database, mail server) is down; the caller should retry later."""


class NotFound(HelpdeskError):
    """A ticket, user or customer that does not exist."""


class PermissionDenied(HelpdeskError):
    """The acting user's role or queues do not allow this."""


class Conflict(HelpdeskError):
    """The action is refused in the ticket's current state (for example erasing with open tickets)."""
