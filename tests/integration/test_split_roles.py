"""The member_federation and sso_application roles, run as two halves, build the same chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.sandbox import INSTANCES

pytestmark = pytest.mark.slow
PLAYBOOK = Path(__file__).parent / "playbooks" / "split_roles.yml"
QA = [i for i in INSTANCES if i.env == "qa"]


def test_split_roles_converge_then_change_nothing_and_agents_sign_in(playbook, emulator, tmp_path):
    extra = tmp_path / "ids.json"
    extra.write_text(json.dumps({"instance_ids": {i.host: i.id for i in INSTANCES}}))
    first = playbook(PLAYBOOK, "-l", "qa", "-e", f"@{extra}")
    assert first.rc == 0, first.stdout[-3000:]
    assert first.total("changed") > 0
    for instance in QA:
        answer = emulator.admin("POST", "/signin", {"user": "quinn.qa", "instance_id": instance.id})
        assert answer["ok"], answer
        assert answer["instance_id"] == instance.id
    mark = emulator.mark()
    second = playbook(PLAYBOOK, "-l", "qa", "-e", f"@{extra}")
    assert second.rc == 0
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_split_roles_and_the_one_task_role_agree(playbook, emulator, tmp_path):
    """After the split roles, site.yml finds nothing to change for the same hosts."""
    extra = tmp_path / "ids.json"
    extra.write_text(json.dumps({"instance_ids": {i.host: i.id for i in INSTANCES}}))
    assert playbook(PLAYBOOK, "-l", "qa", "-e", f"@{extra}").rc == 0
    mark = emulator.mark()
    site = playbook(Path(__file__).resolve().parents[2] / "site.yml", "-l", "qa")
    assert site.rc == 0
    assert site.total("changed") == 0, site.stdout[-2000:]
    assert emulator.writes(since=mark) == []
