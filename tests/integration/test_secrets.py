"""No secret reaches the output: site.yml at -vvvv, with the json callback and with the default one,
prints none of the temporary credentials account_credentials assumed (secret keys, session tokens),
nor any private key.

The secrets to look for are the emulator's own record of what STS handed out: moto keeps every
AssumeRole answer (GET /moto-api/data.json, sts.AssumedRole), random on each call.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
SESSION_NAME = "connect-sso-federation"  # account_credentials' role session name
PRIVATE_KEY = re.compile(r"PRIVATE KEY|MII[EJ][a-zA-Z0-9+/]{60}")  # PEM armour, or a DER RSA key's base64 start


def issued_secrets(endpoint: str) -> list[str]:
    """The secret access keys and session tokens STS issued to account_credentials."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=30) as response:
        data = json.loads(response.read())
    assumed = [r for r in data["sts"]["AssumedRole"] if r["session_name"] == SESSION_NAME]
    return [secret for r in assumed for secret in (r["secret_access_key"], r["session_token"])]


def leaks(text: str, secrets: list[str]) -> list[str]:
    """Secrets found in text, whole or by a 16-character piece (a wrapped or cut line still counts),
    also JSON- or backslash-escaped (a token holds '/' and '+')."""
    found = []
    for secret in secrets:
        pieces = [secret[i : i + 16] for i in range(0, len(secret) - 15, 16)]
        forms = [p for piece in pieces for p in (piece, piece.replace("/", "\\/"))]
        if any(form in text for form in forms):
            found.append(secret[:6] + "...")
    return found


@pytest.mark.parametrize("callback", ["ansible.posix.json", "default"])
def test_no_credential_or_private_key_in_the_output_at_vvvv(playbook, emulator, callback):
    run = playbook(
        SITE,
        "-l",
        "dev-east,prod-west",
        "-vvvv",
        "--diff",
        json_output=callback == "ansible.posix.json",
        env={"ANSIBLE_STDOUT_CALLBACK": callback},
    )
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-3000:]
    secrets = issued_secrets(emulator.endpoint)
    assert len(secrets) == 2 * 3  # root, dev and prod: each assumed once, a secret key and a token each
    assert all(len(s) >= 40 for s in secrets)
    output = run.stdout + "\n" + run.stderr
    # -vvvv prints each module's invocation: the credentials' places are there, masked
    assert "secret_key" in output and "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in output
    assert "AssumeRole" in str(emulator.requests(operation="AssumeRole"))  # the run really assumed them
    assert leaks(output, secrets) == []
    if run.result:  # the json callback's document, as a pipeline would store it
        assert leaks(json.dumps(run.result), secrets) == []
    assert not PRIVATE_KEY.search(output), PRIVATE_KEY.search(output).group(0)
    assert "Traceback" not in output
