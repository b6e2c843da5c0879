# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every resource of this collection shares: the ownership tag and the guard built on it,
tag planning, the plan and diff shapes, and one error boundary that turns our exceptions into
fail_json."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError, ValidationError

# Resources this collection creates carry this tag; `state: absent` refuses to delete a
# resource without it unless `force: true`.
MANAGED_TAG_KEY = "managed-by"
MANAGED_TAG_VALUE = "connect_sso.federation"
# What check mode reports for a step on an app that an earlier task would create.
PENDING_APP = "created once the IdC application exists"
# IAM's tag rules (docs/aws-facts.md#tags): at most 50 tags on a role or SAML provider, keys of
# 1 to 128 characters, values of at most 256, and no key starting with aws: in any case.
MAX_TAGS, MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH = 50, 128, 256
RESERVED_TAG_PREFIX = "aws:"


def is_owned(tags: Optional[Dict[str, str]]) -> bool:
    """Whether a resource's tags say this collection created it."""
    return (tags or {}).get(MANAGED_TAG_KEY) == MANAGED_TAG_VALUE


def require_owned(tags: Optional[Dict[str, str]], force: bool, name: str, kind: str) -> None:
    """Refuse to delete what this collection did not create, unless forced."""
    if not is_owned(tags) and not force:
        raise FederationError(
            f"name={name!r}: the {kind} exists but was not created by this collection "
            "(no managed-by tag); set force: true to delete it anyway"
        )


def is_collection_tag(key: str) -> bool:
    """Whether a tag key is one this collection keeps for itself (managed-by, managed-by:<what>),
    never compared with or purged for the user's tags."""
    return key == MANAGED_TAG_KEY or key.startswith(MANAGED_TAG_KEY + ":")


def validate_tags(
    tags: Optional[Dict[str, Any]], option: str = "tags", collection_tags: int = 1
) -> Optional[Dict[str, str]]:
    """The user's tags as strings, or a ValidationError naming the option and the rule broken,
    before any write. The collection's own tags (collection_tags of them) count against the limit."""
    if tags is None:
        return None
    if not isinstance(tags, dict):
        raise ValidationError(option, tags, "must be a dictionary of tag keys to values")
    checked = {str(k): "" if v is None else str(v) for k, v in tags.items()}
    for key, value in checked.items():
        if key.lower().startswith(RESERVED_TAG_PREFIX):
            raise ValidationError(
                option, key, f"a tag key must not start with {RESERVED_TAG_PREFIX!r} (in any case): AWS reserves it"
            )
        if not 1 <= len(key) <= MAX_TAG_KEY_LENGTH:
            raise ValidationError(
                option, key, f"a tag key is 1 to {MAX_TAG_KEY_LENGTH} characters (this one: {len(key)})"
            )
        if len(value) > MAX_TAG_VALUE_LENGTH:
            raise ValidationError(
                f"{option}[{key!r}]",
                value,
                f"a tag value is at most {MAX_TAG_VALUE_LENGTH} characters (this one: {len(value)})",
            )
    count = len([key for key in checked if not is_collection_tag(key)]) + collection_tags
    if count > MAX_TAGS:
        own = f"the {MANAGED_TAG_KEY} tag" if collection_tags == 1 else f"the {collection_tags} {MANAGED_TAG_KEY} tags"
        raise ValidationError(
            option,
            f"{len(checked)} tags",
            f"at most {MAX_TAGS} tags per resource, counting {own} this collection adds "
            f"(so at most {MAX_TAGS - collection_tags} of your own)",
        )
    return checked


def desired_tags(user_tags: Optional[Dict[str, str]]) -> Dict[str, str]:
    """The user's tags plus the ownership tag (which a user cannot override)."""
    tags = {str(k): str(v) for k, v in (user_tags or {}).items()}
    tags[MANAGED_TAG_KEY] = MANAGED_TAG_VALUE
    return tags


def plan_tags(
    current: Optional[Dict[str, str]], user_tags: Optional[Dict[str, str]], purge: bool
) -> Tuple[Dict[str, str], List[str]]:
    """(tags to set, tag keys to remove) on an existing resource. Without user_tags nothing changes.

    The ownership tag is never set or removed here: a resource gets it when this collection
    creates it (desired_tags), and adopting a resource does not claim it."""
    if user_tags is None:
        return {}, []
    wanted = {str(k): str(v) for k, v in user_tags.items() if not is_collection_tag(str(k))}
    current_user = {k: v for k, v in (current or {}).items() if not is_collection_tag(k)}
    to_set, to_remove = compare_aws_tags(current_user, wanted, purge_tags=purge)
    return to_set, sorted(to_remove)


def tags_after(current: Optional[Dict[str, str]], to_set: Dict[str, str], to_remove: List[str]) -> Dict[str, str]:
    """A resource's tags once a plan's tag changes are applied."""
    tags = dict(current or {})
    tags.update(to_set)
    for key in to_remove:
        tags.pop(key, None)
    return tags


@dataclass
class Plan:
    """A change set: every field says one thing to do; the plan changes something if any is set."""

    @property
    def changed(self) -> bool:
        return any(getattr(self, field.name) for field in fields(self))


def diff(before: Any, after: Any) -> Dict[str, Any]:
    """Ansible's diff: {before, after}; absent resources are {}."""
    return {"before": before if before is not None else {}, "after": after if after is not None else {}}


def aws_error_code(error: Exception) -> str:
    """The AWS error code behind one of amazon.aws's wrapped errors ("" if none)."""
    response = getattr(getattr(error, "exception", None), "response", None) or {}
    return response.get("Error", {}).get("Code", "") if isinstance(error, AnsibleAWSError) else ""


def made_meanwhile(error: Exception) -> bool:
    """Whether a create failed because the resource now exists: another run (or a person) made it
    between our read and our create. IAM says EntityAlreadyExists."""
    return aws_error_code(error) == "EntityAlreadyExists"


def ensure_once_more_if_made_meanwhile(ensure: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """Run a read-plan-apply `ensure`; when its create loses a race (made_meanwhile), run it once more:
    it then reads what the other run made and converges it, so two runs at once both succeed."""
    try:
        return ensure()
    except AnsibleAWSError as error:
        if not made_meanwhile(error):
            raise
        return ensure()


def run(module: Any, body: Callable[[], Dict[str, Any]]) -> None:
    """Run a module's body and exit; our errors become fail_json, never a traceback."""
    try:
        result = body()
    except FederationError as error:
        module.fail_json(msg=str(error))
    except AnsibleAWSError as error:
        module.fail_json_aws_error(error)
    module.exit_json(**result)
