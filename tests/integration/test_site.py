"""The site playbook over the sandbox organisation: converge, idempotence, check mode, limits,
drift, certificate rotation, and who can sign in where."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from emulator.client import signed_control_call
from emulator.sandbox import ACCOUNTS, INSTANCES, ROOT_ACCOUNT, TOPOLOGY, USERS

pytestmark = pytest.mark.slow
SITE = Path(__file__).resolve().parents[2] / "site.yml"
TASK = "Federate the Connect instance with IAM Identity Center"
HOSTS = {i.host: i for i in INSTANCES}
# who should get in where: the users of an environment into every instance of it (their seeded
# Connect users), and the members of the groups the inventory maps (connect_federation_users)
MAPPED = {
    (u.user_name, i.host)
    for u in USERS
    for i in INSTANCES
    for g in u.groups
    if i.env in TOPOLOGY.groups[g].accounts and TOPOLOGY.groups[g].security_profiles
}
EXPECTED = {(u.user_name, i.host) for u in USERS for i in INSTANCES if i.env in u.envs} | MAPPED
CASE_MISMATCH = {"peter.prod"}  # Connect knows him as Peter.Prod@...: "not onboarded"


def signin(emulator, user: str, host: str) -> dict:
    """The user clicks the host's app (as the inventory names it); the answer says where they land."""
    return emulator.admin("POST", "/signin", {"user": user, "host": host})


@pytest.fixture
def site(playbook):
    def run(*args: str, env: dict | None = None):
        return playbook(SITE, *args, env=env)

    return run


def test_first_run_converges_all_five_and_each_user_reaches_exactly_their_instances(converged, emulator):
    results = converged.task_results(TASK)
    assert sorted(results) == sorted(HOSTS)
    assert all(r["changed"] for r in results.values())
    for user in USERS:
        for host, instance in HOSTS.items():
            answer = signin(emulator, user.user_name, host)
            if (user.user_name, host) in EXPECTED and user.user_name not in CASE_MISMATCH:
                assert answer["ok"], (user.user_name, host, answer)
                assert answer["instance_id"] == instance.id
                assert answer["federate_url"].startswith(f"https://{instance.alias}.my.connect.aws/")
            elif user.user_name in CASE_MISMATCH and (user.user_name, host) in EXPECTED:
                assert (answer["ok"], answer["error_code"]) == (False, "UserNotFoundException"), answer
                assert "has not been onboarded" in answer["message"]
            else:
                assert (answer["ok"], answer["error_code"]) == (False, "NotAssigned"), (user.user_name, host, answer)


def test_second_run_changes_nothing_writes_nothing_and_starts_no_module_process(converged, site, emulator, tmp_path):
    mark = emulator.mark()
    second = site(env={"ANSIBLE_REMOTE_TMP": str(tmp_path), "ANSIBLE_KEEP_REMOTE_FILES": "1"})
    assert second.rc == 0
    # the modules run inside the controller's worker for local hosts (plugin_utils/in_process.py)
    assert list(tmp_path.rglob("AnsiballZ_*.py")) == []
    assert second.total("changed") == 0
    assert emulator.writes(since=mark) == []
    assumed = [r["account"] for r in emulator.requests(since=mark, operation="AssumeRole")]
    assert len(assumed) == 4  # once per account (root, dev, qa, prod) per run, not per host or task
    calls = Counter((r["service"], r["operation"]) for r in emulator.requests(since=mark))
    # what every host would read alike is read once per run (idc_facts), not once per host
    assert calls[("sso-admin", "ListInstances")] == 1
    assert calls[("sso-admin", "ListApplications")] == 1
    # groups are listed once (one page here) instead of each host looking up its own
    assert (calls[("identitystore", "ListGroups")], calls[("identitystore", "GetGroupId")]) == (1, 0)
    # the provider is read by its ARN, not found by listing the account's providers
    assert calls[("iam", "ListSAMLProviders")] == 0 and calls[("iam", "GetSAMLProvider")] == len(HOSTS)
    # each task costs every host it runs on (docs/architecture.md, "Speed"): a host runs the argument-spec
    # check Ansible adds and the chain; the rest (the inventory check included) runs once for the run
    per_host = [
        task["task"]["name"].split(" : ")[-1]
        for play in second.result["plays"]
        for task in play["tasks"]
        if len([h for h, outcome in task["hosts"].items() if not outcome.get("skipped")]) > 1
    ]
    assert [name.split(" '")[0] for name in per_host] == [
        "Validating arguments against arg spec",
        "Federate the Connect instance with IAM Identity Center",
    ]


def test_check_mode_on_a_fresh_organisation_writes_nothing(site, emulator):
    mark = emulator.mark()
    check = site("--check", "--diff")
    assert check.rc == 0, check.stdout[-2000:]
    assert all(r["changed"] for r in check.task_results(TASK).values())
    assert emulator.writes(since=mark) == []


def test_check_mode_after_converging_writes_nothing_and_reports_no_change(converged_onboarded, site, emulator):
    mark = emulator.mark()
    check = site("--check", "--diff", "-e", "connect_federation_fail_on_drift=true")
    assert check.rc == 0
    assert check.total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_limit_to_prod_touches_only_prod(site, emulator):
    mark = emulator.mark()
    run = site("-l", "prod")
    assert run.rc == 0
    assert sorted(run.task_results(TASK)) == ["prod-east", "prod-west"]
    writes = emulator.writes(since=mark)
    assert {w["account"] for w in writes} == {ACCOUNTS["prod"], ROOT_ACCOUNT}
    apps = {
        a["Name"]
        for a in emulator.session(ROOT_ACCOUNT)
        .client("sso-admin", endpoint_url=emulator.endpoint)
        .list_applications(InstanceArn=emulator.topology()["idc"]["instance_arn"])["Applications"]
    }
    assert apps == {"AmazonConnect-PROD-us-east-1", "AmazonConnect-PROD-us-west-2"}
    touched = {r["account"] for r in emulator.requests(since=mark)}
    assert ACCOUNTS["dev"] not in touched and ACCOUNTS["qa"] not in touched


def test_drift_is_reported_by_check_diff_and_repaired_by_a_normal_run(
    converged_onboarded, site, emulator, client_for, aws
):
    converged = converged_onboarded
    qa_east, dev_east = HOSTS["qa-east"], HOSTS["dev-east"]
    # 1. a relay state changed in IdC: qa-west's app now sends users to qa-east
    emulator.config(get_application_instance_includes_response_config=True)
    app_id = converged.task_results(TASK)["qa-west"]["app"]["instance_id"]
    _status, shape = signed_control_call(
        emulator.endpoint, aws(ROOT_ACCOUNT), "GetApplicationInstance", {"instanceId": app_id}
    )
    response = dict(
        shape["applicationInstance"]["responseConfig"],
        relayState=f"https://us-east-1.console.aws.amazon.com/connect/federate/{qa_east.id}",
    )
    signed_control_call(
        emulator.endpoint,
        aws(ROOT_ACCOUNT),
        "UpdateApplicationInstanceResponseConfiguration",
        {"instanceId": app_id, "responseConfig": response},
    )
    # 2. a trust policy loosened to another audience on dev-east's role
    iam_dev = client_for("iam", dev_east.account)
    trust = converged.task_results(TASK)["dev-east"]["role"]["trust_policy"]
    trust = json.loads(json.dumps(trust))
    trust["Statement"][0]["Condition"]["StringEquals"]["SAML:aud"] = "https://evil.example.com/saml"
    iam_dev.update_assume_role_policy(RoleName="AmazonConnect_DEV_us-east-1_Role", PolicyDocument=json.dumps(trust))
    # 3. a provider holding another app's metadata (qa-east's provider gets qa-west's)
    iam_qa = client_for("iam", qa_east.account)
    wrong = converged.task_results(TASK)["qa-west"]["app"]["metadata"]
    iam_qa.update_saml_provider(
        SAMLProviderArn=converged.task_results(TASK)["qa-east"]["provider"]["arn"], SAMLMetadataDocument=wrong
    )
    assert not signin(emulator, "quinn.qa", "qa-east")["ok"]
    assert not signin(emulator, "dana.dev", "dev-east")["ok"]
    misrouted = signin(emulator, "quinn.qa", "qa-west")  # sent to qa-east, not its own instance
    assert (misrouted["ok"], misrouted["broken_link"]) == (False, "relay_state"), misrouted

    mark = emulator.mark()
    check = site("--check", "--diff", "-e", "connect_federation_fail_on_drift=true")
    assert check.rc != 0  # a pipeline can gate on it
    failed = {h for h, s in check.stats.items() if s.get("failures")}
    assert failed == {"qa-west", "dev-east", "qa-east"}
    results = check.task_results(TASK)
    assert results["qa-west"]["attributes"]["changed"] and not results["qa-west"]["role"]["changed"]
    assert results["dev-east"]["role"]["changed"] and not results["dev-east"]["provider"]["changed"]
    assert results["qa-east"]["provider"]["changed"]
    assert "differs from the inventory in: provider" in check.stdout
    assert emulator.writes(since=mark) == []

    repair = site()
    assert repair.rc == 0
    assert {h for h, r in repair.task_results(TASK).items() if r["changed"]} == {"qa-west", "dev-east", "qa-east"}
    assert signin(emulator, "quinn.qa", "qa-east")["ok"]
    assert signin(emulator, "quinn.qa", "qa-west")["federate_url"].startswith("https://acme-qa-west.")
    assert signin(emulator, "dana.dev", "dev-east")["ok"]


def test_certificate_rotation_in_idc_is_followed_by_the_next_run(converged, site, emulator):
    app_id = converged.task_results(TASK)["prod-east"]["app"]["instance_id"]
    emulator.admin("POST", "/idc/rotate-certificate", {"instance_id": app_id})
    broken = signin(emulator, "paula.prod", "prod-east")
    assert (broken["ok"], broken["broken_link"]) == (False, "provider_metadata")
    assert "Response signature invalid" in broken["message"]
    mark = emulator.mark()
    run = site("-l", "prod-east")
    assert run.task_results(TASK)["prod-east"]["provider"]["changed"] is True
    assert [w["operation"] for w in emulator.writes(since=mark)] == ["UpdateSAMLProvider"]
    assert signin(emulator, "paula.prod", "prod-east")["ok"]


def test_module_processes_give_the_same_result_when_in_process_is_off(site, emulator, tmp_path):
    env = {"ANSIBLE_REMOTE_TMP": str(tmp_path), "ANSIBLE_KEEP_REMOTE_FILES": "1"}
    first = site("-l", "qa", "-e", "connect_sso_in_process=false", env=env)
    assert first.rc == 0, first.stdout[-2000:]
    assert len(list(tmp_path.rglob("AnsiballZ_connect_federation.py"))) == 2  # one process per qa host
    mark = emulator.mark()
    again = site("-l", "qa")  # in-process now: sees exactly what the module processes made
    assert again.total("changed") == 0
    assert emulator.writes(since=mark) == []
    assert signin(emulator, "quinn.qa", "qa-west")["ok"]


def test_a_run_interrupted_by_failures_converges_on_the_next_run(site, emulator):
    # IAM refuses a write in prod while the chain is being built (a permission someone took away): the
    # run stops there... (a refusal is not retried; server errors outlasting the retries: test_faults)
    emulator.add_fault("PutRolePolicy", "deny", service="iam", account=ACCOUNTS["prod"])
    broken = site("-l", "prod")
    assert broken.rc != 0
    assert not signin(emulator, "paula.prod", "prod-east")["ok"]
    # ...and the next run, with the permission back, finishes the job
    emulator.clear_faults()
    fixed = site("-l", "prod")
    assert fixed.rc == 0
    assert signin(emulator, "paula.prod", "prod-east")["ok"]
    assert signin(emulator, "paula.prod", "prod-west")["ok"]
    mark = emulator.mark()
    assert site("-l", "prod").total("changed") == 0
    assert emulator.writes(since=mark) == []


def test_managed_policies_get_one_name_per_instance_and_a_second_run_writes_nothing(
    converged, site, emulator, client_for
):
    """A managed policy is account-wide: qa's and prod's two roles each need their own, or they rewrite one.
    Switching from the inline policy (the default) leaves only the managed grant."""
    first = site("-e", "connect_federation_policy_type=managed")
    assert first.rc == 0, first.stdout[-3000:]
    for instance in INSTANCES:
        env, region = instance.env.upper(), instance.region
        iam = client_for("iam", instance.account)
        role = f"AmazonConnect_{env}_{region}_Role"
        attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        assert [p["PolicyName"] for p in attached] == [f"AmazonConnectFederation_{env}_{region}"]
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == []  # the inline grant is gone
        policy = iam.get_policy(PolicyArn=attached[0]["PolicyArn"])["Policy"]
        document = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
        assert instance.arn in json.dumps(document["PolicyVersion"]["Document"])
        assert policy["DefaultVersionId"] == "v1"  # written once, never rewritten by a sibling
    mark = emulator.mark()
    second = site("-e", "connect_federation_policy_type=managed")
    assert second.rc == 0
    assert second.total("changed") == 0, second.stdout[-2000:]
    assert emulator.writes(since=mark) == []
    for host, instance in HOSTS.items():
        agent = {"dev": "dana.dev", "qa": "quinn.qa", "prod": "paula.prod"}[instance.env]
        answer = signin(emulator, agent, host)
        assert answer["ok"] and answer["instance_id"] == instance.id, (host, answer)


def test_an_idc_region_without_idc_warns_once_then_each_host_fails_clearly_writing_nothing(site, emulator):
    mark = emulator.mark()
    run = site("-l", "dev-east,qa-west", "-e", "connect_sso_idc_region=us-west-2")
    assert run.rc != 0
    facts = run.task_results("Read IAM Identity Center once for this run (instance, apps, principal ids)")
    (answer,) = facts.values()  # run once for the play
    assert answer["facts"] == {} and "could not be read once for the run" in answer["warnings"][0]
    for result in run.task_results(TASK).values():
        assert result["failed"] and "region='us-west-2': no IAM Identity Center instance is visible" in result["msg"]
    assert emulator.writes(since=mark) == []
