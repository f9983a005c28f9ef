"""One typed, frozen settings object, read once at the entry point from RASAD_* env vars and CLI flags."""

from __future__ import annotations

import os
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "RASAD_"
SECRET_FIELDS = frozenset({"sasl_password", "ssl_key_password"})
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
# What both faust (SASLCredentials) and aiokafka accept without extra libraries (GSSAPI needs Kerberos).
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
LIVE_VIEW_MODES = ("on-request", "always", "off")


@dataclass(frozen=True)
class Settings:
    """Everything a worker or CLI command needs to know, with safe local defaults."""

    broker: str = "127.0.0.1:19092"
    # Topics: names are configuration so a shared cluster can namespace them.
    reports_topic: str = "rasad.reports"
    events_topic: str = "rasad.events"
    alerts_topic: str = "rasad.alerts"
    dead_letter_topic: str = "rasad.reports.dead-letter"
    partitions: int = 4
    replication_factor: int = 1
    app_id: str = "rasad"
    # Static group membership (Kafka's group.instance.id), unique per worker and stable across its restarts: a worker
    # restarted after a crash takes its partitions back at once instead of waiting for the broker to evict the dead
    # member (noida-db 0.2.3, the embedded broker, did not evict one at all in our tests). Unset: dynamic membership.
    group_instance_id: str | None = None
    # Bad-input guard: a report whose raw bytes exceed this goes to the dead-letter topic as "too large".
    max_report_bytes: int = 1_000_000
    # Alert rules: a TOML file overriding the defaults shipped in workers/data/alert_rules.toml (docs/lifecycle.md).
    alert_rules: Path | None = None
    # When set, overrides the rules file's mass_casualties.threshold (10 in the shipped defaults).
    mass_casualty_threshold: int | None = None
    # Internal topic of per-report extractions keyed by area (the repartition before event identity). Unset: named
    # "<app_id>.extractions", private to the consumer group like faust's changelog topics.
    extractions_topic: str | None = None
    # Embedded broker (dev, tests, CI): where its data lives.
    data_dir: Path = field(default_factory=lambda: Path(".rasad"))
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    # The live view's feed (workers/web/feed.py), a consumer of every partition of reports, events and alerts in each
    # worker: "on-request" starts it with the first request to the page or its JSON views (it then reads back the
    # latest messages, as on a restart, and runs until the worker stops); "always" starts it with the worker; "off"
    # serves no live view at all. A worker nobody looks at spends nothing on it.
    live_view: str = "on-request"
    store: str = "memory://"
    processing_guarantee: str = "at_least_once"
    # Real clusters: passed through to faust/aiokafka.
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    ssl_key_password: str | None = None
    log_json: bool = False
    # An empty fetch answered sooner than this waits out the rest before the next (workers/fetch_pacing.py): a broker
    # that does not long-poll (the embedded noida-db) would otherwise make an idle worker spin. 0 turns it off. The
    # wait ends as soon as a partition's records are used up. Above empty_fetch_wait_ms, empty_fetch_max_wait_ms lets
    # it double with each empty fetch in a row up to that cap: at 160 an idle worker's CPU halved, but in the noisy
    # runs of the eleventh session p99 latency and the start of a second worker looked worse (docs/benchmarks.md),
    # so the default stays a flat wait.
    empty_fetch_wait_ms: int = 20
    empty_fetch_max_wait_ms: int = 20
    # Reports handed to the extraction thread at once, in partition order (faust's take_events). A batch goes as
    # soon as it is full, or after extract_batch_wait_ms with what has arrived, which bounds the latency a batch
    # adds at a trickle. Batches of 32 or 64 measured no cheaper than 1 on the embedded broker (docs/benchmarks.md),
    # so reports go one at a time unless a deployment finds otherwise.
    extract_batch: int = 1
    extract_batch_wait_ms: int = 10
    # How long a stopping worker waits for faust's consumer thread (faust/mode default: 60 s). It stops at once when
    # the broker is up; when the broker is gone the thread never finishes, and the worker would hang that long after
    # SIGTERM (an orchestrator's grace period is often 10–30 s).
    consumer_stop_timeout_s: int = 10

    def __post_init__(self) -> None:
        # Normalised here so every client gets the exact spelling faust's SASLMechanism and aiokafka expect.
        protocol = self.security_protocol.strip().upper().replace("-", "_")
        if protocol not in SECURITY_PROTOCOLS:
            raise ValueError(
                f"{ENV_PREFIX}SECURITY_PROTOCOL={self.security_protocol!r}: use one of {', '.join(SECURITY_PROTOCOLS)}"
            )
        object.__setattr__(self, "security_protocol", protocol)
        if self.sasl_mechanism is not None:
            mechanism = self.sasl_mechanism.strip().upper().replace("_", "-")
            if mechanism not in SASL_MECHANISMS:
                raise ValueError(
                    f"{ENV_PREFIX}SASL_MECHANISM={self.sasl_mechanism!r}: use one of {', '.join(SASL_MECHANISMS)}"
                )
            object.__setattr__(self, "sasl_mechanism", mechanism)
        if self.uses_sasl:
            if not self.sasl_username or not self.sasl_password:
                raise ValueError(f"{protocol} needs {ENV_PREFIX}SASL_USERNAME and {ENV_PREFIX}SASL_PASSWORD")
        elif self.sasl_mechanism or self.sasl_username or self.sasl_password:
            # Credentials that would silently go unused: the worker would connect without authenticating.
            raise ValueError(f"SASL credentials are set but {ENV_PREFIX}SECURITY_PROTOCOL is {protocol}")
        live_view = self.live_view.strip().lower().replace("_", "-")
        if live_view not in LIVE_VIEW_MODES:
            raise ValueError(f"{ENV_PREFIX}LIVE_VIEW={self.live_view!r}: use one of {', '.join(LIVE_VIEW_MODES)}")
        object.__setattr__(self, "live_view", live_view)
        if self.empty_fetch_max_wait_ms < 0:
            raise ValueError(f"{ENV_PREFIX}EMPTY_FETCH_MAX_WAIT_MS={self.empty_fetch_max_wait_ms}: use 0 or more")
        if self.extract_batch < 1:
            raise ValueError(f"{ENV_PREFIX}EXTRACT_BATCH={self.extract_batch}: use 1 or more")
        if self.extract_batch_wait_ms < 0:
            raise ValueError(f"{ENV_PREFIX}EXTRACT_BATCH_WAIT_MS={self.extract_batch_wait_ms}: use 0 or more")
        if self.consumer_stop_timeout_s < 1:
            raise ValueError(f"{ENV_PREFIX}CONSUMER_STOP_TIMEOUT_S={self.consumer_stop_timeout_s}: use 1 or more")
        if self.ssl_keyfile and not self.ssl_certfile:
            raise ValueError(f"{ENV_PREFIX}SSL_KEYFILE needs {ENV_PREFIX}SSL_CERTFILE")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build from RASAD_<FIELD> variables (an injectable mapping for tests), then explicit overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw, f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def broker_url(self) -> str:
        """The broker as faust wants it (kafka://host:port[;host:port])."""
        hosts = [h.strip() for h in self.broker.replace("kafka://", "").split(",") if h.strip()]
        return ";".join("kafka://" + h for h in hosts)

    @property
    def bootstrap_servers(self) -> list[str]:
        return [h.strip() for h in self.broker.replace("kafka://", "").split(",") if h.strip()]

    @property
    def extractions_topic_name(self) -> str:
        return self.extractions_topic or f"{self.app_id}.extractions"

    @property
    def all_topics(self) -> tuple[str, ...]:
        return (
            self.reports_topic,
            self.events_topic,
            self.alerts_topic,
            self.dead_letter_topic,
            self.extractions_topic_name,
        )

    @property
    def uses_sasl(self) -> bool:
        return self.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")

    @property
    def uses_tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for SSL and SASL_SSL: the system CAs or RASAD_SSL_CAFILE, and a client certificate if set."""
        if not self.uses_tls:
            return None
        context = ssl.create_default_context(cafile=self.ssl_cafile)
        if self.ssl_certfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile, self.ssl_key_password)
        return context

    def aiokafka_security(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka clients on a secured cluster (empty on plaintext)."""
        if self.security_protocol == "PLAINTEXT":
            return {}
        opts: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.uses_tls:
            opts["ssl_context"] = self.ssl_context()
        if self.uses_sasl:
            opts.update(
                sasl_mechanism=self.sasl_mechanism or "PLAIN",
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_password,
            )
        return opts

    @property
    def secrets(self) -> tuple[str, ...]:
        """The secret values set (for log redaction)."""
        return tuple(v for name in sorted(SECRET_FIELDS) if (v := getattr(self, name)))

    def masked(self) -> dict[str, Any]:
        """A printable view: secrets replaced so they never reach logs."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = (
                "***"
                if f.name in SECRET_FIELDS and value
                else (str(value) if isinstance(value, Path) else value)
            )
        return out

    def __repr__(self) -> str:  # keep secrets out of tracebacks and debug prints
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in self.masked().items()) + ")"


def _coerce(annotation: Any, raw: str, name: str) -> Any:
    kind = str(annotation)
    try:
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("bool"):
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes", "on"}
        if kind.startswith("Path"):
            return Path(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from None
    return raw
