"""docker-compose.yml, Dockerfile and Makefile must agree with the code; Docker itself is not needed."""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from workers.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FIELDS = {f.name for f in fields(Settings)}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def _env(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a dict, whichever of the two compose spellings it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def _command(service: dict[str, Any], image_entrypoint: list[str]) -> list[str]:
    """The argv a service runs: its entrypoint (or the image's) followed by its command."""
    entry = service.get("entrypoint", image_entrypoint)
    cmd = service.get("command", [])
    return _argv(entry) + _argv(cmd)


def _argv(value: str | list[str]) -> list[str]:
    return value.split() if isinstance(value, str) else list(value)


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _dockerfile_entrypoint() -> list[str]:
    entry = [args for word, args in _dockerfile() if word == "ENTRYPOINT"]
    assert entry, "Dockerfile has no ENTRYPOINT"
    return json.loads(entry[-1])


def _listeners(value: str) -> dict[str, tuple[str, int]]:
    """'NAME://host:port,...' to {NAME: (host, port)}."""
    out = {}
    for item in value.split(","):
        name, _, address = item.strip().partition("://")
        host, _, port = address.rpartition(":")
        out[name] = (host, int(port))
    return out


def test_services_present(services: dict[str, Any]) -> None:
    assert {"kafka", "topics", "worker"} <= set(services)


@pytest.mark.parametrize("name", ["worker", "topics"])
def test_env_vars_are_real_settings_fields(services: dict[str, Any], name: str) -> None:
    env = _env(services[name])
    assert env, f"{name} has no environment"
    for key in env:
        assert key.startswith(ENV_PREFIX), f"{name}: {key} is not a {ENV_PREFIX}* variable"
        assert key[len(ENV_PREFIX) :].lower() in SETTINGS_FIELDS, f"{name}: {key} is not a Settings field"
    Settings.from_env(env)  # every value must also parse as its field's type


def test_topics_and_worker_agree_on_broker_and_topics(services: dict[str, Any]) -> None:
    worker, topics = Settings.from_env(_env(services["worker"])), Settings.from_env(_env(services["topics"]))
    for attr in ("broker", "partitions", "replication_factor", "all_topics", "security_protocol"):
        assert getattr(worker, attr) == getattr(topics, attr), attr


def test_worker_broker_is_kafkas_advertised_container_listener(services: dict[str, Any]) -> None:
    kafka_env = _env(services["kafka"])
    worker = Settings.from_env(_env(services["worker"]))
    advertised = _listeners(kafka_env["KAFKA_ADVERTISED_LISTENERS"])
    bound = _listeners(kafka_env["KAFKA_LISTENERS"])
    protocols = dict(p.split(":") for p in kafka_env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))

    assert len(worker.bootstrap_servers) == 1
    host, _, port = worker.bootstrap_servers[0].rpartition(":")
    matches = [name for name, address in advertised.items() if address == (host, int(port))]
    assert matches, f"{worker.broker} is not among kafka's advertised listeners {advertised}"
    name = matches[0]
    # The advertised host must resolve on the compose network, and the listener must really be bound.
    assert host in {"kafka", services["kafka"].get("hostname")}
    assert bound[name][1] == int(port)
    assert protocols[name] == worker.security_protocol


def test_kafka_is_single_node_kraft(services: dict[str, Any]) -> None:
    kafka = services["kafka"]
    env = _env(kafka)
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert not any("ZOOKEEPER" in key for key in env)
    voters = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].split(",")
    assert voters == [f"{env['KAFKA_NODE_ID']}@kafka:{_listeners(env['KAFKA_LISTENERS'])['CONTROLLER'][1]}"]
    # One broker: nothing may ask for more replicas than that.
    worker = Settings.from_env(_env(services["worker"]))
    assert worker.replication_factor == 1
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert "healthcheck" in kafka


def test_worker_can_be_scaled(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert worker.get("build") in (".", {"context": "."})
    assert _command(worker, _dockerfile_entrypoint())[:2] == ["rasad", "worker"]


def test_startup_order(services: dict[str, Any]) -> None:
    assert services["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["worker"]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert services["topics"].get("restart", "no") == "no"


def test_topics_service_runs_topics_create(services: dict[str, Any]) -> None:
    assert _command(services["topics"], _dockerfile_entrypoint()) == ["rasad", "topics", "create"]


def test_rasad_commands_exist() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, attr = scripts["rasad"].partition(":")
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not written yet")
    import click

    main = getattr(importlib.import_module(module), attr)
    assert isinstance(main, click.Group)
    ctx = click.Context(main)
    assert main.get_command(ctx, "worker") is not None, "the image's ENTRYPOINT runs `rasad worker`"
    topics = main.get_command(ctx, "topics")
    assert isinstance(topics, click.Group), "compose's topics service runs `rasad topics create`"
    assert topics.get_command(click.Context(topics), "create") is not None


def test_dockerfile_runs_as_non_root() -> None:
    users = [args for word, args in _dockerfile() if word == "USER"]
    assert users, "Dockerfile has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    # The user must be created in the image, and nothing may switch back to root after it.
    steps = _dockerfile()
    last_user = max(i for i, (word, _) in enumerate(steps) if word == "USER")
    assert any(word == "RUN" and "useradd" in args and user in args for word, args in steps[:last_user])


def test_dockerfile_base_and_torch_match_the_project() -> None:
    steps = _dockerfile()
    base = next(args for word, args in steps if word == "FROM")
    assert base.startswith("python:3.11")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert ">=3.11" in requires
    # Same torch pin as the Makefile's, from the CPU-only index.
    make_pin = re.search(r"^TORCH := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert make_pin
    torch_runs = [args for word, args in steps if word == "RUN" and "torch" in args]
    assert torch_runs and make_pin.group(1) in torch_runs[0]
    assert "download.pytorch.org/whl/cpu" in torch_runs[0]
    assert _dockerfile_entrypoint() == ["rasad", "worker"]


def test_dockerignore_keeps_local_state_out() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", ".rasad"} <= ignored
    assert not ignored & {"workers", "pyproject.toml", "README.md", "*.md"}


def test_compose_gives_a_worker_time_to_stop_before_it_is_killed(services):
    # A worker whose broker is gone waits for faust's consumer thread (workers/app.py bound_consumer_stop) first.
    grace = re.fullmatch(r"(\d+)s", str(services["worker"]["stop_grace_period"]))
    assert grace is not None and int(grace.group(1)) > Settings().consumer_stop_timeout_s
