"""Links shown or printed follow the running server, and `seed_demo --json`
prints only its JSON object on standard output."""

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_seed_demo_json_is_alone_on_standard_output(capsys, settings, monkeypatch):
    """Whatever the seeding writes to standard output (here a console email)
    goes to standard error, so `seed_demo --json | jq` works."""
    from booking import demo

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    original = demo.seed

    def noisy_seed(**kwargs):
        print("seeding bookings…")
        mail.send_mail("Noise", "A console email.", None, ["someone@example.com"])
        return original(**kwargs)

    monkeypatch.setattr(demo, "seed", noisy_seed)
    call_command("seed_demo", "--json", "--password", "demo-pass-123")
    captured = capsys.readouterr()
    details = json.loads(captured.out)
    assert details["username"] == "demo"
    assert "seeding bookings" in captured.err
    assert "A console email." in captured.err


def test_seed_demo_without_json_prints_the_summary(capsys):
    call_command("seed_demo", "--password", "demo-pass-123")
    assert "Sign in as demo / demo-pass-123" in capsys.readouterr().out


def test_seed_demo_uses_the_configured_site_url(settings, capsys):
    settings.SITE_URL, settings.SITE_URL_CONFIGURED = "https://fieldbook.example.com", True
    call_command("seed_demo", "--json", "--password", "demo-pass-123")
    details = json.loads(capsys.readouterr().out)
    assert details["retell_webhook_url"].startswith("https://fieldbook.example.com/webhook/")
    assert details["thumbtack_webhook_url"] == "https://fieldbook.example.com/thumbtack-webhook/"


def test_credentials_page_follows_the_request_host_when_not_configured(owner_client, settings):
    settings.SITE_URL, settings.SITE_URL_CONFIGURED = "http://127.0.0.1:8000", False
    response = owner_client.get(reverse("account:credentials_edit"), HTTP_HOST="127.0.0.1:8700")
    content = response.content.decode()
    assert "http://127.0.0.1:8700/thumbtack-webhook/" in content
    assert "http://127.0.0.1:8700/webhook/" in content
    assert ":8000/" not in content


def test_member_sign_in_link_follows_the_request_host(owner_client, settings):
    settings.SITE_URL_CONFIGURED = False
    response = owner_client.post(
        reverse("account:member_add"),
        {"username": "crew", "email": "crew@example.com"},
        HTTP_HOST="localhost:8700",
    )
    assert "http://localhost:8700/account/login/" in response.content.decode()


def test_env_example_does_not_pin_the_site_url():
    """`make run` copies .env.example to .env; a value there would pin every
    link to one port whatever the server listens on."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    values = [line.split("=", 1)[1] for line in lines if line.startswith("FIELDBOOK_SITE_URL=")]
    assert values == [""]


def _fake_python(tmp_path):
    """A stand-in for the virtualenv's python that records each call and the
    FIELDBOOK_SITE_URL it saw (the "has data?" check answers "no")."""
    log = tmp_path / "calls.log"
    script = tmp_path / "fake-python"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$FIELDBOOK_SITE_URL $*" >> "{log}"\n'
        'case "$*" in *"shell -c"*) exit 1;; esac\n'
        "exit 0\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["PORT=8700"], "http://127.0.0.1:8700"),
        (["HOST=0.0.0.0", "PORT=8701"], "http://127.0.0.1:8701"),
        (
            ["PORT=8700", "FIELDBOOK_SITE_URL=https://tunnel.example.com"],
            "https://tunnel.example.com",
        ),
    ],
)
def test_make_run_keeps_the_site_url_in_step_with_host_and_port(tmp_path, args, expected):
    for name in ("Makefile", ".env.example", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    venv = tmp_path / "venv"
    venv.mkdir()
    fake, log = _fake_python(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("FIELDBOOK_SITE_URL", "MAKEFLAGS")}
    subprocess.run(
        ["make", "-s", "run", f"VENV={venv}", f"PY={fake}", "PIP=true", *args],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    calls = log.read_text().splitlines()
    seed = next(line for line in calls if "seed_demo" in line)
    serve = next(line for line in calls if "runserver" in line)
    assert seed.startswith(expected + " ")
    assert serve.startswith(expected + " ")
