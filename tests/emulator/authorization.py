"""Identity-based policies, enforced: with the switch `enforce_identity_policies` on (runtime.py),
a request made with an assumed role's session is allowed only when the role's policies (inline
and attached) allow it and no statement denies it, and, when the role has a permissions
boundary, the boundary allows it too, as IAM decides
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

What is evaluated:
- IAM requests fully: the action, the resource ARN (role, policy, SAML provider, from the
  request's parameters) and the condition keys iam:PermissionsBoundary, iam:PolicyARN and
  aws:PrincipalAccount (also as the policy variable ${aws:PrincipalAccount}), with the operators
  String*/Arn* (Equals, NotEquals, Like, NotLike; IfExists; ForAllValues:/ForAnyValue:). The
  extra permission IAM asks for tags given at creation (iam:TagRole for CreateRole with Tags,
  iam:TagPolicy for CreatePolicy with Tags) is checked too.
- Every other service (connect, sso, identitystore, the IdC console API): the action only; their
  resources and conditions are not evaluated (a statement with a Condition counts as met there).
Callers that are not an assumed role (the ambient dummy keys) are not checked; STS and the
unauthenticated metadata pages never are.
"""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from urllib.parse import parse_qs, unquote

from moto.iam.models import iam_backends

from . import runtime
from .awserrors import AWSError, access_denied
from .requestinfo import CONTROL_SERVICE, RequestInfo

PREFIX = {
    "iam": "iam",
    "connect": "connect",
    "sso-admin": "sso",
    CONTROL_SERVICE: "sso",
    "identitystore": "identitystore",
}
VARIABLE = re.compile(r"\$\{([^}]+)\}")


def check(info: RequestInfo, body: bytes) -> AWSError | None:
    """AccessDenied when the switch is on and the caller's role may not make this request; else None."""
    if not runtime.config.get("enforce_identity_policies") or info.service not in PREFIX or not info.access_key:
        return None
    role = _caller_role(info)
    if role is None:
        return None
    action = f"{PREFIX[info.service]}:{info.operation}"
    requests = _iam_requests(info, _form(body)) if info.service == "iam" else [(action, None, {})]
    for needed, resource, keys in requests:
        context = {"aws:PrincipalAccount": role.account_id, **keys}
        if not allowed(_identity_documents(role), needed, resource, context):
            reason = "no identity-based policy allows it, or one denies it"
        elif role.permissions_boundary_arn and not allowed(_boundary_documents(role), needed, resource, context):
            reason = f"the permissions boundary {role.permissions_boundary_arn} does not allow it"
        else:
            continue
        caller = f"arn:aws:sts::{role.account_id}:assumed-role/{role.name}/session"
        return access_denied(info.service, caller, needed, reason, resource)
    return None


def allowed(documents: list, action: str, resource: str | None, context: dict) -> bool:
    """IAM's decision over these documents: an explicit Deny wins; else some Allow must match.
    resource None: the action alone decides (resources and conditions are not evaluated)."""
    decision = False
    for document in documents:
        for statement in _statements(document):
            if not _matches(statement, action, resource, context):
                continue
            if statement.get("Effect") == "Deny":
                return False
            decision = decision or statement.get("Effect") == "Allow"
    return decision


def _matches(statement: dict, action: str, resource: str | None, context: dict) -> bool:
    if "NotAction" in statement:
        if any(fnmatchcase(action.lower(), str(p).lower()) for p in _list(statement["NotAction"])):
            return False
    elif not any(fnmatchcase(action.lower(), str(p).lower()) for p in _list(statement.get("Action"))):
        return False
    if resource is None:
        return True
    patterns = [_substitute(p, context) for p in _list(statement.get("Resource", "*"))]
    if not any(fnmatchcase(resource, p) for p in patterns):
        return False
    return all(
        _condition(operator, key, values, context)
        for operator, keys in (statement.get("Condition") or {}).items()
        for key, values in keys.items()
    )


def _condition(operator: str, key: str, values, context: dict) -> bool:
    qualifier, name = operator.rsplit(":", 1) if ":" in operator else ("", operator)
    if_exists = name.endswith("IfExists")
    name = name[: -len("IfExists")] if if_exists else name
    present = key in context and context[key] is not None
    if not present:
        return if_exists or qualifier == "ForAllValues" or name.startswith(("StringNot", "ArnNot"))
    actual = _list(context[key])
    expected = [_substitute(str(v), context) for v in _list(values)]
    negated = "Not" in name
    like = name.endswith("Like") or name.startswith("Arn")

    def one(value: str) -> bool:
        hit = any(fnmatchcase(value, e) if like else value == e for e in expected)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return all(one(v) for v in actual)
    return any(one(v) for v in actual)


def _substitute(text: str, context: dict) -> str:
    return VARIABLE.sub(lambda m: str(context.get(m.group(1), m.group(0))), text)


# --- the caller and its policies -----------------------------------------------------------


def _caller_role(info: RequestInfo):
    key = iam_backends[info.account]["aws"].access_keys.get(info.access_key) if info.account else None
    role_arn = getattr(key, "role_arn", None)
    if not role_arn:
        return None
    account = role_arn.split(":")[4]
    return next((r for r in iam_backends[account]["aws"].roles.values() if r.arn == role_arn), None)


def _identity_documents(role) -> list:
    documents = list(role.policies.values())
    documents += [_default_document(policy) for policy in role.managed_policies.values()]
    return documents


def _boundary_documents(role) -> list:
    """The role's boundary (an AWS managed one is in the role's account's backend, when moto loads them)."""
    policy = iam_backends[role.account_id]["aws"].managed_policies.get(role.permissions_boundary_arn)
    return [_default_document(policy)] if policy else []  # a missing boundary allows nothing


def _default_document(policy) -> str:
    return next((v.document for v in policy.versions if v.is_default), "{}")


def _statements(document) -> list:
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else unquote(document)
        document = json.loads(text)
    statements = document.get("Statement", [])
    return [s for s in _list(statements) if isinstance(s, dict)]


def _list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


# --- what an IAM request asks for --------------------------------------------------------


def _form(body: bytes) -> dict:
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _iam_requests(info: RequestInfo, form: dict) -> list[tuple[str, str, dict]]:
    """(action, resource ARN, condition context) for each permission the IAM request needs."""
    account, operation = info.account, info.operation
    backend = iam_backends[account]["aws"]
    action = f"iam:{operation}"
    context: dict = {}
    resource = "*"
    if "RoleName" in form:
        role = backend.roles.get(_role_id(backend, form["RoleName"]))
        path = role.path if role else form.get("Path", "/")
        resource = f"arn:aws:iam::{account}:role{path}{form['RoleName']}"
        context["iam:PermissionsBoundary"] = role.permissions_boundary_arn if role else None
        if operation in ("CreateRole", "PutRolePermissionsBoundary"):
            context["iam:PermissionsBoundary"] = form.get("PermissionsBoundary")
        if "PolicyArn" in form:
            context["iam:PolicyARN"] = form["PolicyArn"]
    elif "PolicyArn" in form:
        resource = form["PolicyArn"]
    elif operation == "CreatePolicy":
        resource = f"arn:aws:iam::{account}:policy{form.get('Path', '/')}{form.get('PolicyName', '')}"
    elif "SAMLProviderArn" in form:
        resource = form["SAMLProviderArn"]
    elif operation == "CreateSAMLProvider":
        resource = f"arn:aws:iam::{account}:saml-provider/{form.get('Name', '')}"
    needed = [(action, resource, context)]
    tagged = any(k.startswith("Tags.member.") for k in form)
    if tagged and operation in ("CreateRole", "CreatePolicy", "CreateSAMLProvider"):
        tag_action = {"CreateRole": "iam:TagRole", "CreatePolicy": "iam:TagPolicy"}.get(
            operation, "iam:TagSAMLProvider"
        )
        needed.append((tag_action, resource, context))
    return needed


def _role_id(backend, name: str) -> str | None:
    return next((rid for rid, role in backend.roles.items() if role.name == name), None)
