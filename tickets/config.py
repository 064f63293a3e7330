"""Configuration: TOML into frozen dataclasses (config.example.toml).

Every table is a dataclass whose fields are the only keys allowed there, so an unknown key or a
wrong type is found by one generic walk and reported with its dotted key and the file's path.
Defaults are the shop's published promises (Customer Service Policy, docs/policies.md).
"""
from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tickets.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = "sqlite:///var/helpdesk.db"


@dataclass(frozen=True)
class StorageConfig:
    path: str = "var/files"
    max_attachment_bytes: int = 25 * 1024 * 1024
    max_message_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class WeekHours:
    mon: str = "09:00-18:00"
    tue: str = "09:00-18:00"
    wed: str = "09:00-18:00"
    thu: str = "09:00-18:00"
    fri: str = "09:00-18:00"
    sat: str = ""
    sun: str = ""


@dataclass(frozen=True)
class CalendarConfig:
    timezone: str = "America/New_York"
    holiday_country: str = ""
    holiday_subdivision: str = ""
    holidays: tuple[str, ...] = ()
    day_length_hours: float = 0.0
    hours: WeekHours = field(default_factory=WeekHours)


@dataclass(frozen=True)
class MailboxConfig:
    address: str = ""
    default_queue: str = "presales.general"
    imap_host: str = ""
    imap_port: int = 993
    imap_user: str = ""
    imap_password: str = ""
    imap_password_env: str = ""
    imap_tls: str = "ssl"
    imap_ca_file: str = ""
    imap_folder: str = "INBOX"
    poll_interval_seconds: float = 60.0
    idle: bool = True
    batch_size: int = 100
    after_ingest: str = "none"
    move_folder: str = ""

    def password(self) -> str:
        """The IMAP password, from the environment variable when one is named."""
        if self.imap_password_env:
            return os.environ.get(self.imap_password_env, "")
        return self.imap_password


@dataclass(frozen=True)
class LmtpConfig:
    host: str = ""
    port: int = 2424
    max_message_bytes: int = 50 * 1024 * 1024


@dataclass(frozen=True)
class SmtpConfig:
    host: str = ""
    port: int = 587
    tls: str = "starttls"
    user: str = ""
    password: str = ""
    password_env: str = ""
    ca_file: str = ""
    timeout_seconds: float = 30.0
    max_attempts: int = 8
    retry_base_seconds: float = 60.0
    batch_size: int = 100
    pass_interval_seconds: float = 5.0

    def secret(self) -> str:
        """The SMTP password, from the environment variable when one is named."""
        if self.password_env:
            return os.environ.get(self.password_env, "")
        return self.password


@dataclass(frozen=True)
class QueueConfig:
    title: str = ""
    mailbox: str = "support"
    reply_working_days: float = 2.0
    triage_working_days: float = 0.0
    resolution_working_days: float = 0.0
    refund_warn_working_days: float = 0.0
    refund_breach_working_days: float = 0.0
    team_address: str = ""
    acknowledge: bool = True
    from_name: str = ""  # the display name on this queue's mail; empty: `[shop] name`


@dataclass(frozen=True)
class ShopConfig:
    """The shop's own facts, as canned replies state them (Customer Service Policy section 1 and 4).

    No return warehouse address is invented: while it is empty, the return-authorisation reply
    cannot be sent and says so."""

    name: str = "AeroPress Mall"  # also the display name on the From of replies and acknowledgements
    return_warehouse_address: str = ""
    return_window_days: int = 60
    signature: str = "aeropressmall.com customer service"


@dataclass(frozen=True)
class TicketsConfig:
    reference_prefix: str = "HD"
    # A customer's mail on a ticket closed at most this many days ago reopens it; later, it opens a
    # new ticket linked to the closed one (whose data retention may already be counting down).
    reopen_within_days: int = 14
    close_solved_after_days: int = 7


@dataclass(frozen=True)
class AcknowledgementConfig:
    enabled: bool = True
    max_per_sender_per_hour: int = 3
    # Mail received longer ago than this (an imported archive, mail delayed in transit) is not
    # acknowledged: the promise would be late or already broken.
    max_age_days: float = 2.0


@dataclass(frozen=True)
class SlaConfig:
    at_risk_share: float = 0.75
    check_interval_seconds: float = 60.0
    # Every day at this time (calendar time zone) each ticket's people get the list of its clocks
    # at risk or breached (sla/at_risk_digest.py).
    digest_time: str = "08:30"


@dataclass(frozen=True)
class RoutingRule:
    queue: str = ""
    name: str = ""
    mailbox: str = ""
    sender_domain: str = ""
    subject: str = ""
    body: str = ""


@dataclass(frozen=True)
class RoutingConfig:
    model_path: str = "var/router.joblib"
    retrain_interval_hours: float = 24.0
    unsure_below: float = 0.8
    order_prefix: str = "AP"
    order_digits: tuple[int, ...] = (5, 6)
    rules: tuple[RoutingRule, ...] = ()
    suggestions_rebuild_minutes: float = 30.0


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str = ""
    secret_key_env: str = "HELPDESK_SECRET_KEY"
    session_minutes: int = 480
    session_idle_minutes: int = 60
    secure_cookies: bool = True
    login_attempts_per_15_minutes: int = 10
    public_url: str = ""
    reply_undo_seconds: int = 10
    reply_max_characters: int = 1_000_000
    reply_attachments_max_bytes: int = 10 * 1024 * 1024
    trusted_proxies: int = 0
    password_hash_memory_kib: int = 65_536
    password_hash_iterations: int = 3


@dataclass(frozen=True)
class PrivacyConfig:
    retention_days: int = 60
    encryption_keys: tuple[str, ...] = ()
    encryption_keys_env: str = "HELPDESK_ENCRYPTION_KEYS"


@dataclass(frozen=True)
class ReportsConfig:
    digest_weekday: str = "mon"
    digest_time: str = "08:00"
    digest_recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeaseConfig:
    ttl_seconds: float = 30.0


@dataclass(frozen=True)
class LoggingConfig:
    level: str = "INFO"
    format: str = "text"


def _default_mailboxes() -> dict[str, MailboxConfig]:
    return {
        "press": MailboxConfig(address="press@aeropressmall.com", default_queue="presales.general"),
        "support": MailboxConfig(address="support@aeropressmall.com", default_queue="order.tracking"),
        "wholesale": MailboxConfig(address="wholesale@aeropressmall.com", default_queue="wholesale"),
    }


def _default_queues() -> dict[str, QueueConfig]:
    """docs/policies.md: the queues and the working-day targets the policy promises."""
    return {
        "presales.general": QueueConfig("Pre-sales questions", "press", 2),
        "presales.complex": QueueConfig("Pre-sales, several products", "press", 3),
        "wholesale": QueueConfig("Wholesale", "wholesale", 2),
        "order.tracking": QueueConfig("Order tracking", "support", 2),
        "returns": QueueConfig("Returns", "support", 1),
        "refunds": QueueConfig("Refunds", "support", 2, refund_warn_working_days=5, refund_breach_working_days=10),
        "complaint.simple": QueueConfig("Complaints", "support", 3, triage_working_days=1, resolution_working_days=3),
        "complaint.complex": QueueConfig("Complex complaints", "support", 5, triage_working_days=1,
                                         resolution_working_days=5),
        "privacy": QueueConfig("Privacy requests", "support", 5),
        "auto": QueueConfig("Automatic mail", "support", 0, acknowledge=False),
    }


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    mailboxes: dict[str, MailboxConfig] = field(default_factory=_default_mailboxes)
    lmtp: LmtpConfig = field(default_factory=LmtpConfig)
    smtp: SmtpConfig = field(default_factory=SmtpConfig)
    queues: dict[str, QueueConfig] = field(default_factory=_default_queues)
    tickets: TicketsConfig = field(default_factory=TicketsConfig)
    shop: ShopConfig = field(default_factory=ShopConfig)
    acknowledgements: AcknowledgementConfig = field(default_factory=AcknowledgementConfig)
    sla: SlaConfig = field(default_factory=SlaConfig)
    routing: RoutingConfig = field(default_factory=RoutingConfig)
    web: WebConfig = field(default_factory=WebConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    leases: LeaseConfig = field(default_factory=LeaseConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    source: str = "built-in defaults"

    def mailbox(self, name: str) -> MailboxConfig:
        """The named mailbox, or a ConfigError listing the known ones."""
        try:
            return self.mailboxes[name]
        except KeyError:
            known = ", ".join(sorted(self.mailboxes))
            raise ConfigError(f"unknown mailbox {name!r} (configured: {known})") from None

    def queue(self, name: str) -> QueueConfig:
        return self.queues.get(name) or QueueConfig(title=name)

    def sender(self, queue: str) -> tuple[str, str]:
        """(display name, address) our mail on a ticket in `queue` goes out from: the queue's mailbox
        (policy section 1: after-sales and complaints from support@, bulk from wholesale@, pre-sales
        from press@), whichever mailbox the customer wrote to."""
        settings = self.queue(queue)
        return settings.from_name or self.shop.name, self.mailbox(settings.mailbox).address

    def our_addresses(self) -> frozenset[str]:
        """Every address we send from: an `X-Loop` naming one of them marks a mail loop."""
        return frozenset(m.address.lower() for m in self.mailboxes.values() if m.address)


_ENUMS = {
    "mailboxes.*.imap_tls": ("ssl", "starttls", "none"),
    "mailboxes.*.after_ingest": ("none", "seen", "move"),
    "smtp.tls": ("ssl", "starttls", "none"),
    "reports.digest_weekday": WEEKDAYS,
    "logging.level": LOG_LEVELS,
    "logging.format": ("text", "json"),
}

# Numbers that make no sense at zero or below (a session that never lasts, a limit nobody passes).
_POSITIVE = frozenset({"web.session_minutes", "web.session_idle_minutes", "web.login_attempts_per_15_minutes"})

_COUNTS = frozenset({"web.trusted_proxies"})

# Tables whose entries merge over the built-in defaults instead of replacing them.
_MERGED_MAPS: dict[str, Callable[[], dict[str, Any]]] = {"mailboxes": _default_mailboxes, "queues": _default_queues}


def _type_name(kind: Any) -> str:
    return getattr(kind, "__name__", str(kind))


def _convert(value: Any, kind: Any, key: str, path: str) -> Any:
    """Check `value` against the annotation `kind`, converting TOML arrays and tables."""
    origin = typing.get_origin(kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {key} must be a table")
        return _build(kind, value, key, path)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        if not isinstance(value, list):
            raise ConfigError(f"{path}: {key} must be an array")
        return tuple(_convert(v, item, f"{key}[{i}]", path) for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {key} must be a table")
        item = typing.get_args(kind)[1]
        return {name: _convert(v, item, f"{key}.{name}", path) for name, v in value.items()}
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind in (int, float) and isinstance(value, bool) or not isinstance(value, kind):
        raise ConfigError(f"{path}: {key} must be {_type_name(kind)}, not {type(value).__name__}")
    _check_enum(value, key, path)
    if key in _POSITIVE and value <= 0:
        raise ConfigError(f"{path}: {key} must be greater than 0, not {value!r}")
    if key in _COUNTS and value < 0:
        raise ConfigError(f"{path}: {key} must be 0 or more, not {value!r}")
    return value


def _check_enum(value: Any, key: str, path: str) -> None:
    parts = key.split(".")
    for pattern, allowed in _ENUMS.items():
        want = pattern.split(".")
        if len(want) == len(parts) and all(w in ("*", p) for w, p in zip(want, parts)):
            if value not in allowed:
                raise ConfigError(f"{path}: {key} must be one of {', '.join(allowed)}, not {value!r}")


def _build(cls: type, table: dict[str, Any], prefix: str, path: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "source"}
    values: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if key not in names:
            raise ConfigError(f"{path}: unknown key {dotted}")
        values[key] = _convert(value, hints[key], dotted, path)
    if cls is Config:
        for name, defaults in _MERGED_MAPS.items():
            values[name] = _merge(defaults(), table.get(name, {}), typing.get_args(hints[name])[1], name, path)
    return cls(**values)


def _merge(merged: dict[str, Any], given: Any, kind: type, name: str, path: str) -> dict[str, Any]:
    """Entries of `given` override fields of the built-in entry of the same name, or add one."""
    if not isinstance(given, dict):
        raise ConfigError(f"{path}: {name} must be a table")
    for entry, fields in given.items():
        if not isinstance(fields, dict):
            raise ConfigError(f"{path}: {name}.{entry} must be a table")
        base = dataclasses.asdict(merged[entry]) if entry in merged else {}
        merged[entry] = _build(kind, {**base, **fields}, f"{name}.{entry}", path)
    return merged


def check_queue_mailboxes(config: Config) -> None:
    """Each queue's `mailbox` names a configured mailbox: its mail goes out from there."""
    for name, queue in config.queues.items():
        if queue.mailbox not in config.mailboxes:
            known = ", ".join(sorted(config.mailboxes))
            raise ConfigError(f"{config.source}: queues.{name}.mailbox {queue.mailbox!r} is not a configured "
                              f"mailbox ({known})")


def clock_time(config: Config, key: str, value: str) -> tuple[int, int]:
    """(hour, minute) of a time setting like "08:00"; a malformed value is a ConfigError naming `key`."""
    match = _CLOCK_TIME.match(value)
    if not match:
        raise ConfigError(f"{config.source}: {key} must be a time like \"08:00\", not {value!r}")
    return int(match.group(1)), int(match.group(2))


def digest_time(config: Config) -> tuple[int, int]:
    """(hour, minute) of `[reports] digest_time`."""
    return clock_time(config, "reports.digest_time", config.reports.digest_time)


def at_risk_digest_time(config: Config) -> tuple[int, int]:
    """(hour, minute) of `[sla] digest_time`."""
    return clock_time(config, "sla.digest_time", config.sla.digest_time)


def _check_not_negative(config: Config) -> None:
    """Day counts that cannot be negative."""
    for key, value in (("tickets.close_solved_after_days", config.tickets.close_solved_after_days),
                       ("privacy.retention_days", config.privacy.retention_days),
                       ("shop.return_window_days", config.shop.return_window_days)):
        if value < 0:
            raise ConfigError(f"{config.source}: {key} must be 0 or more, not {value}")


_NOT_NEGATIVE = ("reply_undo_seconds", "reply_max_characters", "reply_attachments_max_bytes")


# Argon2id below OWASP's floor (19 MiB and 2 passes) makes stolen hashes cheap to guess; above RFC
# 9106's first recommendation (2 GiB) every sign-in would risk the console's memory.
PASSWORD_HASH_MIN_MEMORY_KIB = 19_456
PASSWORD_HASH_MAX_MEMORY_KIB = 2 * 1024 * 1024
PASSWORD_HASH_MIN_ITERATIONS = 2
_PASSWORD_HASH_FLOORS = (("password_hash_memory_kib", PASSWORD_HASH_MIN_MEMORY_KIB),
                         ("password_hash_iterations", PASSWORD_HASH_MIN_ITERATIONS))


def check_web(config: Config) -> None:
    """The reply box's limits are counts: a negative one is a ConfigError naming the key; so is a
    password hashing cost below its floor."""
    for key in _NOT_NEGATIVE:
        if getattr(config.web, key) < 0:
            raise ConfigError(f"{config.source}: web.{key} must be 0 or more, not {getattr(config.web, key)}")
    for key, floor in _PASSWORD_HASH_FLOORS:
        if getattr(config.web, key) < floor:
            raise ConfigError(f"{config.source}: web.{key} must be at least {floor}, not {getattr(config.web, key)}")
    if config.web.password_hash_memory_kib > PASSWORD_HASH_MAX_MEMORY_KIB:
        raise ConfigError(f"{config.source}: web.password_hash_memory_kib must be at most "
                          f"{PASSWORD_HASH_MAX_MEMORY_KIB} (2 GiB), not {config.web.password_hash_memory_kib}")


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """The config from `path`, else $HELPDESK_CONFIG, else ./config.toml, else the defaults.

    $HELPDESK_DATABASE_URL overrides `[database] url` (the README's command table).
    """
    chosen = path or os.environ.get("HELPDESK_CONFIG") or ("config.toml" if Path("config.toml").exists() else None)
    config = Config()
    if chosen:
        try:
            raw = tomllib.loads(Path(chosen).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{chosen}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{chosen}: cannot read config file: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{chosen}: not valid TOML: {exc}") from None
        config = dataclasses.replace(_build(Config, raw, "", str(chosen)), source=str(chosen))
        digest_time(config)
        at_risk_digest_time(config)
        check_queue_mailboxes(config)
        _check_not_negative(config)
        check_web(config)
    url = os.environ.get("HELPDESK_DATABASE_URL")
    if url:
        config = dataclasses.replace(config, database=DatabaseConfig(url=url))
    return config
