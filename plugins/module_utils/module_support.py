# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module of this collection shares: the ownership tag, tag planning, the diff
shape, and one error boundary that turns our exceptions into fail_json."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError

# Resources this collection creates carry this tag; `state: absent` refuses to delete a
# resource without it unless `force: true`.
MANAGED_TAG_KEY = "managed-by"
MANAGED_TAG_VALUE = "connect_sso.federation"


def is_owned(tags: Optional[Dict[str, str]]) -> bool:
    """Whether a resource's tags say this collection created it."""
    return (tags or {}).get(MANAGED_TAG_KEY) == MANAGED_TAG_VALUE


def desired_tags(user_tags: Optional[Dict[str, str]]) -> Dict[str, str]:
    """The user's tags plus the ownership tag (which a user cannot override)."""
    tags = {str(k): str(v) for k, v in (user_tags or {}).items()}
    tags[MANAGED_TAG_KEY] = MANAGED_TAG_VALUE
    return tags


def plan_tags(
    current: Optional[Dict[str, str]], user_tags: Optional[Dict[str, str]], purge: bool
) -> Tuple[Dict[str, str], List[str]]:
    """(tags to set, tag keys to remove). With user_tags None the user's tags are left alone."""
    current = current or {}
    if user_tags is None:
        wanted = dict(current)
        wanted.update(desired_tags({}))
        purge = False
    else:
        wanted = desired_tags(user_tags)
    to_set, to_remove = compare_aws_tags(current, wanted, purge_tags=purge)
    return to_set, sorted(k for k in to_remove if k != MANAGED_TAG_KEY)


def diff(before: Any, after: Any) -> Dict[str, Any]:
    """Ansible's diff: {before, after}; absent resources are {}."""
    return {"before": before if before is not None else {}, "after": after if after is not None else {}}


def run(module: Any, body: Callable[[], Dict[str, Any]]) -> None:
    """Run a module's body and exit; our errors become fail_json, never a traceback."""
    try:
        result = body()
    except FederationError as error:
        module.fail_json(msg=str(error))
    except AnsibleAWSError as error:
        module.fail_json_aws_error(error)
    module.exit_json(**result)
