"""The package as a shop installs it: a wheel built from the checkout, installed in a fresh
virtualenv outside it, serves the console and composes an acknowledgement from its own copy of
the templates and the router's training set."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mailfactory import make_mail

REPO = Path(__file__).resolve().parents[1]

PROBE = textwrap.dedent("""
    import dataclasses, json, sys
    from email import message_from_bytes, policy
    from pathlib import Path

    import templates
    from inbox.ingest import RawMail
    from routing.corpus import LABELS, MAIL_DIR
    from services import Services
    from sqlalchemy import select
    from tickets.config import Config, DatabaseConfig, RoutingConfig, StorageConfig
    from tickets.models import Outbox
    from web import create_app

    here = Path.cwd()
    config = dataclasses.replace(Config(), database=DatabaseConfig(url=f"sqlite:///{here / 'helpdesk.db'}"),
                                 storage=StorageConfig(path=str(here / "files")),
                                 routing=RoutingConfig(model_path=sys.argv[2]))
    services = Services.build(config)
    login = create_app(config, services).test_client().get("/login")
    with services.sessions.begin() as session:
        [outcome] = services.ingestor.ingest_batch(session, [RawMail(Path(sys.argv[1]).read_bytes(), "mail")],
                                                   "support")
    with services.readonly() as session:
        raw = session.scalar(select(Outbox.raw).where(Outbox.kind == "ack"))
    ack = message_from_bytes(raw, policy=policy.default)
    shipped = len(list(MAIL_DIR.glob("*.eml"))) if LABELS.is_file() else 0
    print(json.dumps({"templates": templates.__file__, "training_set": shipped,
                      "login": login.status_code,
                      "form": b'name="password"' in login.data, "status": outcome.status,
                      "ticket": outcome.ticket, "ack_subject": ack["Subject"],
                      "ack_text": ack.get_body(preferencelist=("plain",)).get_content()}))
""")


@pytest.mark.slow
def test_a_wheel_installed_outside_the_checkout_serves_the_console_and_acknowledges(tmp_path: Path,
                                                                                    router_model: Path) -> None:
    source, wheels, venv, work = tmp_path / "src", tmp_path / "wheels", tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "var", "build", "*.egg-info",
                                                                "__pycache__", ".pytest_cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(source)], check=True, capture_output=True)
    [wheel] = wheels.glob("helpdesk-*.whl")
    # The virtualenv sees the system's packages for the dependencies; the helpdesk itself comes
    # from the wheel, which is found before any editable install of the checkout. This pip installs
    # into it (`--python`): a pip of the virtualenv's own would take seconds to set up.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    # Sent just now: the installed copy runs on the real clock, and older mail is not acknowledged.
    (work / "mail.eml").write_bytes(make_mail(subject="Where is my order AP-123456?", date=dt.datetime.now(dt.UTC)))
    (work / "probe.py").write_text(PROBE)
    # The router loads the session's model (training it again would only cost time); that the installed
    # copy holds the training set it would retrain from is checked apart.
    done = subprocess.run([str(python), "probe.py", "mail.eml", str(router_model)], cwd=work, capture_output=True,
                          text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert Path(result["templates"]).is_relative_to(venv) and not Path(result["templates"]).is_relative_to(REPO)
    assert result["training_set"] > 100
    assert result["login"] == 200 and result["form"]
    assert result["status"] == "created"
    assert f"[#{result['ticket']}]" in result["ack_subject"]
    assert result["ticket"] in result["ack_text"]
