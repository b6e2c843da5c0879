# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A small IAM policy evaluator for the doctor: does a set of policy documents allow one request?

Evaluated, not pattern-matched, the way IAM documents it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
an explicit Deny wins, else any Allow allows, else the request is implicitly denied. Action,
NotAction, Resource, NotResource, Principal and the string and ARN condition operators are
understood, with `*` and `?` wildcards and `${...}` policy variables; a condition operator it
does not know makes the answer `unknown` (never a guess).
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils.policies import load_policy

ALLOW, DENY, IMPLICIT, UNKNOWN = "allow", "deny", "implicit deny", "unknown"
_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class Request(NamedTuple):
    action: str
    resource: str = "*"
    principal: Optional[Dict[str, str]] = None  # {"Federated": arn} for a trust policy
    context: Dict[str, str] = {}


class Decision(NamedTuple):
    effect: str  # ALLOW, DENY, IMPLICIT or UNKNOWN
    statement: str = ""  # the Sid (or position) of the statement that decided, or what could not be evaluated


class _Unknown(Exception):
    pass


def _as_list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _glob(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's wildcards: * any run of characters, ? one character; nothing else is special."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _substitute(pattern: str, context: Dict[str, str]) -> str:
    """${aws:userid} and friends from the request's context (IAM variables are case-insensitive)."""
    lowered = {k.lower(): v for k, v in context.items()}
    return _VARIABLE.sub(lambda m: lowered.get(m.group(1).lower(), m.group(0)), pattern)


def _matches_any(patterns: Iterable[str], value: str, context: Dict[str, str], ignore_case: bool = False) -> bool:
    return any(_glob(_substitute(str(p), context), value, ignore_case) for p in patterns)


_OPERATORS = {
    "stringequals": lambda want, have: want == have,
    "stringequalsignorecase": lambda want, have: want.lower() == have.lower(),
    "stringlike": _glob,
    "arnequals": lambda want, have: want == have,
    "arnlike": _glob,
}


def _condition_holds(operator: str, key: str, wanted: Any, context: Dict[str, str]) -> bool:
    """One operator and key: IAM's rules for a key the request lacks (false, but true with
    ...IfExists and for a negated operator)."""
    name = operator.lower()
    if_exists = name.endswith("ifexists")
    name = name[: -len("ifexists")] if if_exists else name
    negated = name.startswith(("stringnot", "arnnot"))
    base = name.replace("not", "", 1) if negated else name
    if base not in _OPERATORS or ":" in operator:  # ForAnyValue:/ForAllValues: and other operators
        raise _Unknown(f"{operator} on {key}")
    value = {k.lower(): v for k, v in context.items()}.get(key.lower())
    if value is None:
        return if_exists or negated
    hit = any(_OPERATORS[base](_substitute(str(w), context), value) for w in _as_list(wanted))
    return not hit if negated else hit


def _conditions_hold(conditions: Dict[str, Any], context: Dict[str, str]) -> bool:
    return all(
        _condition_holds(operator, key, wanted, context)
        for operator, keys in (conditions or {}).items()
        for key, wanted in (keys or {}).items()
    )


def _principal_matches(statement: Dict[str, Any], principal: Optional[Dict[str, str]]) -> bool:
    if principal is None:  # an identity policy: no Principal element
        return True
    if "NotPrincipal" in statement:
        raise _Unknown("NotPrincipal")
    stated = statement.get("Principal")
    if stated == "*":
        return True
    return any(value in _as_list((stated or {}).get(kind)) for kind, value in principal.items())


def _applies(statement: Dict[str, Any], request: Request) -> bool:
    context = dict(request.context)
    if "NotAction" in statement:
        action_ok = not _matches_any(_as_list(statement["NotAction"]), request.action, context, True)
    else:
        action_ok = _matches_any(_as_list(statement.get("Action")), request.action, context, True)
    if "NotResource" in statement:
        resource_ok = not _matches_any(_as_list(statement["NotResource"]), request.resource, context)
    elif request.principal is not None and "Resource" not in statement:  # trust policies name no resource
        resource_ok = True
    else:
        resource_ok = _matches_any(_as_list(statement.get("Resource")), request.resource, context)
    return (
        action_ok
        and resource_ok
        and _principal_matches(statement, request.principal)
        and _conditions_hold(statement.get("Condition") or {}, context)
    )


def evaluate(documents: Iterable[Any], request: Request) -> Decision:
    """What IAM decides for the request under these documents (JSON text or dicts)."""
    allowed = ""
    for document in documents:
        statements = _as_list((load_policy(document) or {}).get("Statement"))
        for position, statement in enumerate(statements):
            label = statement.get("Sid") or f"statement {position + 1}"
            try:
                applies = _applies(statement, request)
            except _Unknown as unknown:
                return Decision(UNKNOWN, f"{label}: {unknown}")
            if applies and statement.get("Effect") == "Deny":
                return Decision(DENY, label)
            if applies and statement.get("Effect") == "Allow" and not allowed:
                allowed = label
    return Decision(ALLOW, allowed) if allowed else Decision(IMPLICIT)
