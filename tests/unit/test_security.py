"""Security settings: SASL and TLS reach faust and aiokafka as the same thing, secrets never get printed or logged,
and the web port listens on loopback unless told otherwise. No broker here (tests/faults/test_security_live.py
runs a real worker over SASL)."""

from __future__ import annotations

import io
import json
import logging
import shutil
import ssl
import subprocess
from pathlib import Path

import faust
import pytest
from aiokafka import AIOKafkaProducer
from click.testing import CliRunner
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from workers.app import _credentials, create_app
from workers.cli import main
from workers.logs import MASK, JsonFormatter, RedactSecrets, logging_config
from workers.settings import SASL_MECHANISMS, Settings

# Quotes and a non-ASCII letter: a bytes repr (aiokafka's debug log of the SASL PLAIN request) escapes them.
PASSWORD = "s3cr3t-'pässwörd\"-ﺱ"
KEY_PASSWORD = "key-pass-7781"
SASL_ENV = {
    "RASAD_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
    "RASAD_SASL_USERNAME": "alice",
    "RASAD_SASL_PASSWORD": PASSWORD,
}


def secret_forms(secret: str) -> list[str]:
    """How a secret can show up in text: as is, in a str repr, in a bytes repr, JSON-escaped."""
    return [secret, repr(secret)[1:-1], repr(secret.encode())[2:-1], json.dumps(secret)[1:-1]]


# ---------------------------------------------------------------- env -> settings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PLAIN", "PLAIN"),
        ("plain", "PLAIN"),
        ("SCRAM-SHA-256", "SCRAM-SHA-256"),
        ("scram-sha-256", "SCRAM-SHA-256"),
        ("SCRAM_SHA_512", "SCRAM-SHA-512"),
        (" Scram-Sha-512 ", "SCRAM-SHA-512"),
    ],
)
def test_sasl_mechanism_is_read_in_the_spelling_faust_and_aiokafka_expect(raw, expected):
    settings = Settings.from_env({**SASL_ENV, "RASAD_SASL_MECHANISM": raw})
    assert settings.sasl_mechanism == expected
    assert faust.SASLCredentials(mechanism=settings.sasl_mechanism).mechanism.value == expected


@pytest.mark.parametrize("raw", ["sasl_ssl", "SASL-SSL", " Sasl_Ssl"])
def test_security_protocol_is_normalised(raw):
    assert Settings.from_env({**SASL_ENV, "RASAD_SECURITY_PROTOCOL": raw}).security_protocol == "SASL_SSL"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({**SASL_ENV, "RASAD_SASL_MECHANISM": "GSSAPI"}, "RASAD_SASL_MECHANISM"),
        ({**SASL_ENV, "RASAD_SASL_MECHANISM": "SCRAM-SHA-1"}, "RASAD_SASL_MECHANISM"),
        ({**SASL_ENV, "RASAD_SECURITY_PROTOCOL": "TLS"}, "RASAD_SECURITY_PROTOCOL"),
        ({"RASAD_SECURITY_PROTOCOL": "SASL_SSL", "RASAD_SASL_USERNAME": "alice"}, "RASAD_SASL_PASSWORD"),
        ({"RASAD_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "RASAD_SASL_PASSWORD": PASSWORD}, "RASAD_SASL_USERNAME"),
        # Credentials that would go unused: the worker would connect without authenticating.
        ({"RASAD_SASL_USERNAME": "alice", "RASAD_SASL_PASSWORD": PASSWORD}, "PLAINTEXT"),
        ({"RASAD_SECURITY_PROTOCOL": "SSL", "RASAD_SASL_MECHANISM": "PLAIN"}, "SSL"),
        ({"RASAD_SECURITY_PROTOCOL": "SSL", "RASAD_SSL_KEYFILE": "client.key"}, "RASAD_SSL_CERTFILE"),
    ],
)
def test_a_bad_security_setting_is_refused_with_the_variable_to_fix(env, message):
    with pytest.raises(ValueError, match=message) as info:
        Settings.from_env(env)
    assert all(form not in str(info.value) for form in secret_forms(PASSWORD))


def test_the_cli_reports_a_bad_security_setting_as_a_usage_error():
    env = {**SASL_ENV, "RASAD_SASL_MECHANISM": "MD5"}
    result = CliRunner().invoke(main, ["topics", "create"], env=env)
    assert result.exit_code == 2
    assert "RASAD_SASL_MECHANISM='MD5'" in result.output
    assert PASSWORD not in result.output


# ---------------------------------------------------------------- settings -> aiokafka and faust


def _agree(settings: Settings) -> tuple[dict, dict]:
    """Our aiokafka kwargs, and what faust's own driver makes of the credentials we give faust."""
    ours = settings.aiokafka_security()
    faust_side = dict(credentials_to_aiokafka_auth(_credentials(settings)))
    return ours, faust_side


@pytest.mark.parametrize("mechanism", SASL_MECHANISMS)
def test_sasl_plaintext_reaches_aiokafka_and_faust_alike(mechanism):
    settings = Settings.from_env({**SASL_ENV, "RASAD_SASL_MECHANISM": mechanism})
    ours, faust_side = _agree(settings)
    assert ours == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "alice",
        "sasl_plain_password": PASSWORD,
    }
    assert faust_side == {**ours, "ssl_context": None}
    credentials = _credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    assert credentials.mechanism.value == mechanism


def test_sasl_without_a_mechanism_means_plain():
    ours, faust_side = _agree(Settings.from_env(SASL_ENV))
    assert ours["sasl_mechanism"] == faust_side["sasl_mechanism"] == "PLAIN"


@pytest.mark.parametrize("mechanism", SASL_MECHANISMS)
def test_sasl_ssl_carries_the_tls_context_to_both(mechanism, tls_files):
    env = {
        **SASL_ENV,
        "RASAD_SECURITY_PROTOCOL": "SASL_SSL",
        "RASAD_SASL_MECHANISM": mechanism,
        "RASAD_SSL_CAFILE": str(tls_files["ca"]),
    }
    ours, faust_side = _agree(Settings.from_env(env))
    assert ours["security_protocol"] == faust_side["security_protocol"] == "SASL_SSL"
    assert ours["sasl_mechanism"] == faust_side["sasl_mechanism"] == mechanism
    assert ours["sasl_plain_password"] == faust_side["sasl_plain_password"] == PASSWORD
    for context in (ours["ssl_context"], faust_side["ssl_context"]):
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert [dict(s[0] for s in c["subject"])["commonName"] for c in context.get_ca_certs()] == ["rasad-test-ca"]


def test_ssl_with_a_client_certificate_and_an_encrypted_key(tls_files):
    env = {
        "RASAD_SECURITY_PROTOCOL": "SSL",
        "RASAD_SSL_CAFILE": str(tls_files["ca"]),
        "RASAD_SSL_CERTFILE": str(tls_files["cert"]),
        "RASAD_SSL_KEYFILE": str(tls_files["key"]),
        "RASAD_SSL_KEY_PASSWORD": KEY_PASSWORD,
    }
    settings = Settings.from_env(env)
    ours, faust_side = _agree(settings)
    assert ours.keys() == {"security_protocol", "ssl_context"}
    assert ours["security_protocol"] == faust_side["security_protocol"] == "SSL"
    assert isinstance(_credentials(settings), faust.SSLCredentials)
    # The key password is really used: the wrong one cannot open the key.
    with pytest.raises(ssl.SSLError):
        Settings.from_env({**env, "RASAD_SSL_KEY_PASSWORD": "wrong"}).ssl_context()


def test_plaintext_adds_nothing():
    settings = Settings()
    assert settings.aiokafka_security() == {}
    assert _credentials(settings) is None
    assert settings.ssl_context() is None


@pytest.mark.parametrize("mechanism", SASL_MECHANISMS)
async def test_aiokafka_accepts_the_keyword_arguments(mechanism):
    settings = Settings.from_env({**SASL_ENV, "RASAD_SASL_MECHANISM": mechanism})
    producer = AIOKafkaProducer(bootstrap_servers="127.0.0.1:1", **settings.aiokafka_security())  # not started
    assert producer.client._sasl_mechanism == mechanism


def test_the_faust_app_is_built_with_the_credentials():
    settings = Settings.from_env({**SASL_ENV, "RASAD_SASL_MECHANISM": "SCRAM-SHA-512"})
    app, _ = create_app(settings)
    credentials = app.conf.broker_credentials
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.password, credentials.mechanism.value) == (
        "alice",
        PASSWORD,
        "SCRAM-SHA-512",
    )


# ---------------------------------------------------------------- the web port


def test_the_web_port_binds_to_loopback_by_default():
    app, _ = create_app(Settings())
    assert app.conf.web_bind == "127.0.0.1"


def test_the_web_port_binds_where_configured():
    app, _ = create_app(Settings.from_env({"RASAD_WEB_HOST": "0.0.0.0"}))
    assert app.conf.web_bind == "0.0.0.0"


# ---------------------------------------------------------------- secrets never printed


def test_secrets_never_appear_when_settings_are_printed():
    settings = Settings.from_env({**SASL_ENV, "RASAD_SSL_KEY_PASSWORD": KEY_PASSWORD})
    shown = [repr(settings), str(settings), f"{settings!r}", json.dumps(settings.masked(), default=str)]
    for text in shown:
        for secret in (PASSWORD, KEY_PASSWORD):
            assert all(form not in text for form in secret_forms(secret)), text
    assert settings.masked()["sasl_password"] == "***" and settings.masked()["sasl_username"] == "alice"


def test_redaction_masks_every_form_of_a_secret():
    redact = RedactSecrets([PASSWORD])
    payload = b"alice\x00alice\x00" + PASSWORD.encode()
    for text in (f"auth {PASSWORD}", f"SaslAuthenticateRequest(sasl_auth_bytes={payload!r})", repr([PASSWORD])):
        masked = redact.redact(text)
        assert MASK in masked and all(form not in masked for form in secret_forms(PASSWORD)), masked


def _configured_logging(settings: Settings, level: str = "debug") -> io.StringIO:
    """Apply the worker's logging config as faust's Worker does (mode's setup_logging), to a captured stream."""
    from mode.utils.logging import setup_logging

    config = logging_config(settings, level)
    config["handlers"]["default"]["stream"] = stream = io.StringIO()
    setup_logging(loglevel=level, logging_config=config)
    return stream


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


@pytest.mark.parametrize("log_json", [False, True])
def test_worker_logging_masks_secrets_at_debug_level(log_json, restore_logging):
    settings = Settings.from_env({**SASL_ENV, "RASAD_SSL_KEY_PASSWORD": KEY_PASSWORD}, log_json=log_json)
    stream = _configured_logging(settings)
    payload = b"alice\x00alice\x00" + PASSWORD.encode()
    # What aiokafka logs at debug level for SASL PLAIN, and an error carrying the password in its traceback.
    request = "Request to %s 3: SaslAuthenticateRequest_v1(sasl_auth_bytes=%r)"
    logging.getLogger("aiokafka.conn").debug(request, "h:1", payload)
    try:
        raise RuntimeError(f"cannot open key with {KEY_PASSWORD}")
    except RuntimeError:
        logging.getLogger("workers.test").exception("settings %s", settings)
    text = stream.getvalue()
    assert "SaslAuthenticateRequest_v1" in text and "cannot open key" in text and MASK in text
    for secret in (PASSWORD, KEY_PASSWORD):
        assert all(form not in text for form in secret_forms(secret)), text
    if log_json:
        lines = [json.loads(line) for line in text.splitlines()]
        assert [line["logger"] for line in lines] == ["aiokafka.conn", "workers.test"]
        assert "RuntimeError" in lines[1]["exc"]


def test_json_lines_stay_one_line_and_valid_for_hostile_messages():
    formatter = JsonFormatter()
    record = logging.LogRecord("workers.x", logging.WARNING, __file__, 1, "dead-lettered %s", ("نص\nسطر \ud800",), None)
    record.offset = 7  # an `extra=` field
    line = formatter.format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["message"] == "dead-lettered نص\nسطر \ud800" and data["offset"] == 7 and data["level"] == "WARNING"
    line.encode("utf-8")  # a lone surrogate must not make the stream fail


# ---------------------------------------------------------------- test certificates


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throwaway CA and a client certificate signed by it, with its key encrypted by KEY_PASSWORD."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("tls")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=rasad-test-ca")  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-keyout", "client.key", "-passout", f"pass:{KEY_PASSWORD}",
        "-out", "client.csr", "-subj", "/CN=rasad-worker")  # fmt: skip
    run("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "client.pem", "-days", "2")  # fmt: skip
    return {"ca": d / "ca.pem", "cert": d / "client.pem", "key": d / "client.key"}
