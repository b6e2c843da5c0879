# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module of this collection shares: the ownership tag, tag planning, the diff
shape, and one error boundary that turns our exceptions into fail_json."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple

try:
    import boto3
    import botocore.config
    from botocore.exceptions import BotoCoreError, NoRegionError
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper
from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError

# Resources this collection creates carry this tag; `state: absent` refuses to delete a
# resource without it unless `force: true`.
MANAGED_TAG_KEY = "managed-by"
MANAGED_TAG_VALUE = "connect_sso.federation"
# What check mode reports for a step on an app that an earlier task would create.
PENDING_APP = "created once the IdC application exists"


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
    """(tags to set, tag keys to remove) on an existing resource. Without user_tags nothing changes.

    The ownership tag is never set or removed here: a resource gets it when this collection
    creates it (desired_tags), and adopting a resource does not claim it."""
    if user_tags is None:
        return {}, []
    wanted = {str(k): str(v) for k, v in user_tags.items() if k != MANAGED_TAG_KEY}
    current_user = {k: v for k, v in (current or {}).items() if k != MANAGED_TAG_KEY}
    to_set, to_remove = compare_aws_tags(current_user, wanted, purge_tags=purge)
    return to_set, sorted(to_remove)


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


USER_AGENT = "APN/1.0 connect_sso.federation"


def connection_info(module: Any, credentials: Optional[Dict[str, Any]] = None) -> Tuple[Optional[str], Dict[str, Any]]:
    """(endpoint, boto3 arguments) of the module's AWS options, with other credentials if given
    ({access_key, secret_key, session_token} or {profile})."""
    _region, endpoint, connection = get_aws_connection_info(module)
    if credentials and credentials.get("profile"):
        connection.update(
            profile_name=credentials["profile"],
            aws_access_key_id=None,
            aws_secret_access_key=None,
            aws_session_token=None,
        )
    elif credentials and credentials.get("access_key"):
        connection.update(
            profile_name=None,
            aws_access_key_id=credentials["access_key"],
            aws_secret_access_key=credentials.get("secret_key"),
            aws_session_token=credentials.get("session_token"),
        )
    return endpoint, connection


def clients(
    module: Any,
    services: List[str],
    region: str,
    credentials: Optional[Dict[str, Any]] = None,
    retry_decorator: Any = None,
) -> Dict[str, Any]:
    """Clients for several services of one account from ONE boto3 session.

    AnsibleAWSModule.client makes a new session per client, and each session loads the service
    models and endpoint data again; for a module that needs four clients that is a third of its
    run time. Same options, credentials, endpoint and botocore config as module.client.
    """
    endpoint, connection = connection_info(module, credentials)
    profile = connection.pop("profile_name", None)
    config = botocore.config.Config(user_agent_extra=USER_AGENT)
    extra = connection.pop("aws_config", None)
    if extra is not None:
        config = config.merge(extra)
    try:
        session = boto3.session.Session(profile_name=profile)
        made = {
            service: session.client(service, region_name=region, endpoint_url=endpoint, config=config, **connection)
            for service in services
        }
    except NoRegionError:
        module.fail_json(msg="a region is required and none was found in the options, environment or configuration")
    except (ValueError, BotoCoreError) as error:
        module.fail_json(msg=f"Couldn't connect to AWS: {error}")
    if retry_decorator is None:
        return made
    return {service: RetryingBotoClientWrapper(client, retry_decorator) for service, client in made.items()}
