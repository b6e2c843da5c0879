"""The sign-in simulator: one IdC user signing in to one app, end to end.

It builds the SAML response as IAM Identity Center would from the app's configuration and the
user's attributes, signs it with the app's active certificate, then checks it as STS does
(AssumeRoleWithSAML: provider, issuer, signature against the provider's metadata, Role pair,
trust policy and SAML:aud, RoleSessionName) and as Amazon Connect does (relay state, the
role's permission for connect:GetFederationToken on that instance for that session, a Connect
user whose username equals RoleSessionName exactly). It says which link broke, in AWS's words
where AWS has words for it (docs/aws-facts.md#sign-in-errors-and-their-causes).
"""

from __future__ import annotations

import base64
import fnmatch
import re
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from defusedxml.ElementTree import fromstring as safe_fromstring
from lxml import etree
from moto.iam.models import iam_backends
from moto.identitystore.models import identitystore_backends
from signxml import InvalidSignature, XMLSigner, XMLVerifier, methods
from signxml.verifier import SignatureConfiguration

from .extensions import connect as connect_ext
from .extensions.iam import as_list, policy_statements
from .extensions.idc_model import STATE, App
from .sandbox import INSTANCES

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
AUDIENCES = {"aws": "urn:amazon:webservices", "aws-us-gov": "urn:amazon:webservices:govcloud"}
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
FEDERATE = re.compile(
    r"^https://(?:([a-z0-9-]+)\.console\.aws\.amazon\.com|console\.amazonaws-us-gov\.com)"
    r"/connect/federate/([0-9a-f-]{36})"
)


class Broken(Exception):
    """A link of the chain that does not hold. `link` is one of the doctor's link names
    (plugins/module_utils/doctor_walk.py LINKS): one vocabulary for both."""

    def __init__(self, stage: str, code: str, message: str, link: str) -> None:
        super().__init__(message)
        self.stage, self.code, self.message, self.link = stage, code, message, link


# --- IAM Identity Center: who the user is, which app, the assertion ------------------------------


def _user(account: str, region: str, store_id: str, user_name: str) -> dict:
    store = identitystore_backends[account][region].identity_stores.get(store_id)
    user = next((u for u in (store.users.values() if store else []) if u.UserName == user_name), None)
    if user is None:
        raise Broken("idc", "UserNotFound", f"IAM Identity Center has no user {user_name!r}", "assignment")
    groups = {m["GroupId"] for m in store.group_memberships.values() if m["MemberId"]["UserId"] == user.UserId}
    email = next((e["Value"] for e in user.Emails or [] if e.get("Primary")), (user.Emails or [{}])[0].get("Value"))
    name = user.Name
    return {
        "id": user.UserId,
        "groups": groups,
        "attributes": {
            "email": email,
            "subject": user.UserName,
            "name": user.UserName,
            "preferredUsername": user.UserName,
            "givenName": getattr(name, "GivenName", None),
            "familyName": getattr(name, "FamilyName", None),
            "middleName": getattr(name, "MiddleName", None),
            "AD_GUID": user.UserId,
        },
    }


def _resolve(source: str, user: dict) -> str:
    return re.sub(r"\$\{user:([^}]*)\}", lambda m: str(user["attributes"].get(m.group(1)) or ""), source)


def _find_app(reference: dict) -> App:
    """The app the user clicks in the portal: named explicitly, or the one the inventory names for a host.

    Never chosen by where it sends users: where the user lands is read from the app's relay
    state afterwards, so a relay state pointing at another instance shows up as landing there.
    """
    wanted = reference.get("app") or _inventory_app_name(reference.get("host"))
    apps = [a for a in STATE.apps.values() if wanted in (a.display_name, a.instance_id, a.application_id, a.arn)]
    if not apps:
        raise Broken("idc", "ApplicationNotFound", f"IAM Identity Center has no application {wanted!r}", "app")
    return apps[0]


def _inventory_app_name(host: str | None) -> str:
    """The app display name the seeded topology's inventory gives a host (the roles' default name
    template; inventories/sandbox for the sandbox)."""
    return _host_instance(host).app_name


def _host_instance(host: str | None):
    """The seeded topology's instance of an inventory host."""
    from .seed import current

    instances = current().instances if current() is not None else INSTANCES
    instance = next((i for i in instances if i.host == host), None)
    if instance is None:
        raise ValueError(f"unknown host {host!r}: one of {', '.join(i.host for i in instances)}")
    return instance


def _assertion(app: App, user: dict, now: datetime) -> tuple[bytes, str, str]:
    """The signed SAML response IdC would post, with the ACS it posts to and the relay state."""
    sp = app.sp_config or {}
    consumers = sp.get("consumers") or []
    if not consumers:
        raise Broken(
            "idc",
            "InvalidConfiguration",
            "the application has no ACS URL (service provider configuration missing)",
            "acs_audience",
        )
    acs = consumers[0]["location"]
    response = app.response_config or {}
    subject_source = (response.get("subject") or {}).get("source") or []
    fmt = (app.response_schema_config.get("subject") or {}).get(
        "nameIdFormat", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    )
    attributes = "".join(
        f'<saml:Attribute Name={quoteattr(name)} NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">'
        + "".join(f"<saml:AttributeValue>{escape(_resolve(s, user))}</saml:AttributeValue>" for s in value["source"])
        + "</saml:Attribute>"
        for name, value in (response.get("properties") or {}).items()
    )
    ttl = response.get("ttl") or "PT1H"
    hours, minutes = (int(x or 0) for x in re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?", ttl).groups())
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (now + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    session_end = (now + timedelta(hours=hours, minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assertion_id = f"_{uuid.uuid4().hex}"
    subject = (
        f"<saml:NameID Format={quoteattr(fmt)}>{escape(_resolve(subject_source[0], user))}</saml:NameID>"
        if subject_source
        else ""
    )
    assertion = etree.fromstring(
        f'<saml:Assertion xmlns:saml="{SAML}" ID="{assertion_id}" Version="2.0" IssueInstant="{stamp}">'
        f"<saml:Issuer>{escape(app.issuer)}</saml:Issuer>"
        f'<saml:Subject>{subject}<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient={quoteattr(acs)}/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{stamp}" NotOnOrAfter="{later}"><saml:AudienceRestriction>'
        f"<saml:Audience>{escape(sp.get('audience', ''))}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{stamp}" SessionNotOnOrAfter="{session_end}"/>'
        f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"
    )
    certificate = app.active_certificate
    signed = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(assertion, key=certificate.key, cert=[certificate.cert], reference_uri=assertion_id)
    document = (
        f'<samlp:Response xmlns:samlp="{SAMLP}" ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{stamp}" '
        f'Destination={quoteattr(acs)}><saml:Issuer xmlns:saml="{SAML}">{escape(app.issuer)}</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        + etree.tostring(signed).decode()
        + "</samlp:Response>"
    )
    return document.encode(), acs, response.get("relayState") or ""


# --- STS: AssumeRoleWithSAML -------------------------------------------------------------------


def _values(root, name: str) -> list[str]:
    return [
        v.text or ""
        for a in root.iter(f"{{{SAML}}}Attribute")
        if a.get("Name") == name
        for v in a.iter(f"{{{SAML}}}AttributeValue")
    ]


def _pair(value: str) -> tuple[str, str]:
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise Broken(
            "sts",
            "InvalidIdentityToken",
            "Your request included an invalid SAML response (the Role "
            f"attribute {value!r} is not 'role-arn,provider-arn')",
            "role_attribute",
        )
    role, provider = parts if ":role/" in parts[0] else (parts[1], parts[0])
    return role, provider


def _trusts(role, provider_arn: str, recipient: str) -> bool:
    for statement in policy_statements(role.assume_role_policy_document):
        actions = [a.lower() for a in as_list(statement.get("Action", []))]
        federated = as_list((statement.get("Principal") or {}).get("Federated", []))
        if statement.get("Effect") != "Allow" or provider_arn not in federated:
            continue
        if not any(fnmatch.fnmatch("sts:assumerolewithsaml", a) for a in actions):
            continue
        condition = (statement.get("Condition") or {}).get("StringEquals", {})
        audiences = as_list(condition.get("SAML:aud", [recipient]))
        if recipient in audiences:
            return True
    return False


def assume_role_with_saml(response: bytes, now: datetime) -> dict:
    """What STS checks; returns the session (account, role, session name, user id)."""
    root = safe_fromstring(response)
    assertion = root.find(f"{{{SAML}}}Assertion")
    pairs = [_pair(v) for v in _values(assertion, ROLE_ATTRIBUTE)]
    if not pairs:
        raise Broken(
            "sts",
            "InvalidIdentityToken",
            "Your request included an invalid SAML response (no Role attribute)",
            "role_attribute",
        )
    role_arn, provider_arn = pairs[0]
    account, partition = provider_arn.split(":")[4], provider_arn.split(":")[1]
    iam = iam_backends[account][partition]
    provider = next((p for p in iam.saml_providers.values() if p.arn == provider_arn), None)
    if provider is None:
        raise Broken("sts", "InvalidIdentityToken", f"Specified provider doesn't exist ({provider_arn})", "provider")
    metadata = safe_fromstring(provider.saml_metadata_document)
    issuer = assertion.findtext(f"{{{SAML}}}Issuer")
    if metadata.get("entityID") != issuer:
        raise Broken(
            "sts",
            "InvalidIdentityToken",
            "Issuer not present in specified provider (the provider holds another app's metadata)",
            "provider_metadata",
        )
    certificates = [
        x509.load_der_x509_certificate(base64.b64decode("".join((c.text or "").split())))
        for c in metadata.iter(f"{{{DS}}}X509Certificate")
    ]
    signed = etree.tostring(etree.fromstring(response).find(f"{{{SAML}}}Assertion"))
    signing = next((cert for cert in certificates if _verifies(signed, cert)), None)
    if signing is None:
        raise Broken(
            "sts",
            "InvalidIdentityToken",
            "Response signature invalid (the provider's metadata holds "
            "another certificate than the one IdC signs with)",
            "provider_metadata",
        )
    if signing.not_valid_after_utc <= now:  # inferred: STS does not trust an expired signing certificate
        raise Broken(
            "sts",
            "InvalidIdentityToken",
            f"Response signature invalid: the signing certificate expired on {signing.not_valid_after_utc:%Y-%m-%d}",
            "certificate_expiry",
        )
    audience = assertion.findtext(f".//{{{SAML}}}Audience")
    if audience != AUDIENCES.get(partition):
        raise Broken(
            "sts", "InvalidIdentityToken", f"Audience {audience!r} is not {AUDIENCES.get(partition)}", "acs_audience"
        )
    if assertion.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID") is None:
        raise Broken("sts", "AccessDenied", "The SAML assertion has no Subject NameID", "role_attribute")
    recipient = assertion.find(f".//{{{SAML}}}SubjectConfirmationData").get("Recipient")
    role = next((r for r in iam.roles.values() if r.arn == role_arn), None)
    if role is None or not _trusts(role, provider_arn, recipient):
        raise Broken(
            "sts",
            "AccessDenied",
            f"Not authorized to perform sts:AssumeRoleWithSAML on {role_arn} "
            "(missing role, or its trust policy does not name this provider and ACS)",
            "role_trust",
        )
    names = _values(assertion, SESSION_NAME_ATTRIBUTE)
    if not names or not SESSION_NAME.match(names[0]):
        raise Broken(
            "sts",
            "ValidationError",
            f"RoleSessionName {names[:1]} must be 2-64 characters from [a-zA-Z_0-9+=,.@-]",
            "session_name",
        )
    return {
        "account": account,
        "partition": partition,
        "role": role,
        "role_arn": role_arn,
        "session_name": names[0],
        "user_id": f"{role.id}:{names[0]}",
        "provider_arn": provider_arn,
    }


def _verifies(signed: bytes, certificate: x509.Certificate) -> bool:
    try:
        # the signature alone, at a time the certificate is valid: its expiry is judged apart (certificate_expiry)
        config = SignatureConfiguration(verification_time=certificate.not_valid_before_utc + timedelta(seconds=1))
        XMLVerifier().verify(signed, x509_cert=certificate, id_attribute="ID", expect_config=config)
        return True
    except InvalidSignature:
        return False


# --- Amazon Connect: GetFederationToken --------------------------------------------------------


def _allows_federation(session: dict, iam, instance_arn: str, instance_id: str) -> bool:
    resource = f"{instance_arn}/user/{session['user_id']}"
    role = session["role"]
    documents = list(role.policies.values()) + [
        version.document
        for arn in role.managed_policies
        if arn in iam.managed_policies
        for version in iam.managed_policies[arn].versions
        if version.is_default_version
    ]
    allowed = False
    for statement in (s for d in documents for s in policy_statements(d)):
        actions = [a.lower() for a in as_list(statement.get("Action", []))]
        if not any(fnmatch.fnmatch("connect:getfederationtoken", a) for a in actions):
            continue
        resources = [r.replace("${aws:userid}", session["user_id"]) for r in as_list(statement.get("Resource", []))]
        condition = (statement.get("Condition") or {}).get("StringEquals", {})
        wanted_ids = as_list(condition.get("connect:InstanceId", condition.get("connect:instanceid", instance_id)))
        if any(fnmatch.fnmatchcase(resource, r) for r in resources) and instance_id in wanted_ids:
            if statement.get("Effect") == "Deny":
                return False
            allowed = True
    return allowed


def get_federation_token(session: dict, relay_state: str, intended: str | None = None) -> dict:
    """What Connect checks; `intended`: the instance id the clicked app is meant for (the host's),
    when known: a relay state sending the user elsewhere is the classic "Session expired"."""
    match = FEDERATE.match(relay_state or "")
    if not match:
        raise Broken(
            "connect",
            "SessionExpired",
            "Session expired: the relay state does not send the user to a "
            f"Connect instance ({relay_state or 'none'}), so they land on the console",
            "relay_state",
        )
    region, instance_id = match.group(1) or "us-gov-west-1", match.group(2)
    instance = connect_ext.get_instance(session["account"], region, instance_id)
    if instance is None:
        raise Broken(
            "connect",
            "ResourceNotFoundException",
            f"Instance {instance_id} not found in account "
            f"{session['account']} {region} (the relay state points at another account's instance)",
            "relay_state",
        )
    if intended and instance_id != intended:
        raise Broken(
            "connect",
            "SessionExpired",
            f"Session expired: the relay state sends the user to instance {instance_id}, not to the app's "
            f"instance {intended}",
            "relay_state",
        )
    iam = iam_backends[session["account"]][session["partition"]]
    if not _allows_federation(session, iam, instance.arn, instance_id):
        raise Broken(
            "connect",
            "AccessDeniedException",
            "Access denied, Please contact your AWS account "
            f"administrator ({session['role_arn']} may not call connect:GetFederationToken on this "
            "instance)",
            "role_policy",
        )
    user = connect_ext.find_user(session["account"], region, instance_id, session["session_name"])
    if user is None:
        near = [
            u["Username"]
            for u in connect_ext._state(session["account"], region, instance)["users"].values()
            if u["Username"].lower() == session["session_name"].lower()
        ]
        hint = f"; Connect has {near[0]!r} - usernames are case sensitive" if near else ""
        raise Broken(
            "connect",
            "UserNotFoundException",
            "Access Denied. Your account has been authenticated, but "
            f"has not been onboarded to this application (no Connect user {session['session_name']!r}"
            f"{hint})",
            "connect_user",
        )
    query = parse_qs(urlsplit(relay_state).query)
    destination = (query.get("destination") or ["/connect/home"])[0]
    profiles = connect_ext._state(session["account"], region, instance)["security-profile"]
    return {
        "instance_id": instance_id,
        "instance_alias": instance.instance_alias,
        "region": region,
        "username": user["Username"],
        # what the user may do once in: the names of their security profiles
        "security_profiles": sorted(profiles[i]["Name"] for i in user["SecurityProfileIds"] if i in profiles),
        "federate_url": f"https://{instance.instance_alias}.my.connect.aws{destination}",
    }


# --- the whole way ------------------------------------------------------------------------------


def sign_in(request: dict) -> dict:
    """One user, one app (`app`: display name, id or ARN; or `host`: the app the sandbox inventory
    names for that host); the answer says where the user lands (from the app's relay state). With
    `host`, a relay state that sends the user to another instance than the host's is broken
    (relay_state: "Session expired"), as the doctor judges it."""
    now = datetime.now(timezone.utc)
    passed: list[str] = []
    try:
        app = _find_app(request)
        instance = app.instance
        user = _user(instance.account, instance.region, instance.identity_store_id, request["user"])
        passed.append("IdC user")
        if app.status != "ENABLED":
            raise Broken("idc", "ApplicationDisabled", f"the application {app.display_name} is disabled", "app_status")
        assigned = {pid for (_kind, pid) in app.assignments}
        if app.assignment_required and user["id"] not in assigned and not user["groups"] & assigned:
            raise Broken(
                "idc",
                "NotAssigned",
                f"{request['user']} is not assigned to {app.display_name} (neither "
                "directly nor through a group), so the portal does not offer it",
                "assignment",
            )
        passed.append("assignment")
        response, acs, relay = _assertion(app, user, now)
        passed.append("assertion signed by IdC")
        session = assume_role_with_saml(response, now)
        passed.append("STS AssumeRoleWithSAML")
        intended = _host_instance(request["host"]).id if request.get("host") else None
        landing = get_federation_token(session, relay, intended)
        passed.append("Connect GetFederationToken")
        return {
            "ok": True,
            "user": request["user"],
            "app": app.display_name,
            "acs": acs,
            "relay_state": relay,
            "role_arn": session["role_arn"],
            "provider_arn": session["provider_arn"],
            "account": session["account"],
            "passed": passed,
            **landing,
        }
    except Broken as broken:
        return {
            "ok": False,
            "user": request.get("user"),
            "stage": broken.stage,
            "error_code": broken.code,
            "message": broken.message,
            "broken_link": broken.link,
            "passed": passed,
        }


def install(emulator) -> None:
    from . import admin

    def route(payload: dict, _request) -> dict:
        if not payload.get("user") or bool(payload.get("app")) == bool(payload.get("host")):
            raise ValueError(
                "give 'user' and exactly one of 'app' (display name, id or ARN) or 'host' (inventory host)"
            )
        return sign_in(payload)

    admin.ADMIN_EXTENSIONS["/signin"] = route
