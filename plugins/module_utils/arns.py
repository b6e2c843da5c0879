# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ARNs, ids and IAM names: partition-aware builders and validators."""

from __future__ import annotations

import re
from typing import NamedTuple, Optional

from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region

# re.ASCII: IAM's patterns are ASCII, and without it \w and \d also match other scripts' letters and digits.
ACCOUNT_ID = re.compile(r"^\d{12}$", re.ASCII)
# IAM CreateSAMLProvider's name pattern (docs/aws-facts.md#iam-saml-providers)
PROVIDER_NAME = re.compile(r"^[\w._-]{1,128}$", re.ASCII)
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)
ROLE_PATH = re.compile(r"^(/|/[\x21-\x7e]{0,510}/)$")
CONNECT_INSTANCE_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
IDC_APP_INSTANCE_ID = re.compile(r"^ins-[0-9a-f]{16}$")
IDC_APPLICATION_ID = re.compile(r"^apl-[0-9a-f]{16}$")
# sso-admin model: arn:aws(-[a-z]{1,5}){0,3}:sso::\d{12}:application/(sso)?ins-[a-zA-Z0-9-.]{16}/apl-[a-zA-Z0-9]{16}
APPLICATION_ARN = re.compile(
    r"^arn:(aws(?:-[a-z]{1,5}){0,3}):sso::(\d{12}):application/((?:sso)?ins-[a-zA-Z0-9-.]{16})/(apl-[a-zA-Z0-9]{16})$",
    re.ASCII,
)
FEDERATION_USER_SUFFIX = "/user/${aws:userid}"


class Arn(NamedTuple):
    partition: str
    service: str
    region: str
    account_id: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account_id}:{self.resource}"


def parse_arn(value: object, option: str) -> Arn:
    """Split an ARN into its six parts; a clear error if it is not one."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        raise ValidationError(option, value, "is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)")
    parts = value.split(":", 5)
    if len(parts) != 6 or not all(parts[i] for i in (1, 2, 5)):
        raise ValidationError(option, value, "is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)")
    return Arn(*parts[1:])


# kind -> (service, resource prefix, needs region, needs account)
_KINDS = {
    "saml-provider": ("iam", "saml-provider/", False, True),
    "role": ("iam", "role/", False, True),
    "policy": ("iam", "policy/", False, True),
    "connect-instance": ("connect", "instance/", True, True),
}


def validate_arn(value: object, option: str, kind: str, partition: Optional[str] = None) -> Arn:
    """Parse an ARN of the given kind and check its service, resource, account and partition."""
    arn = parse_arn(value, option)
    if kind == "sso-application":
        match = APPLICATION_ARN.fullmatch(str(value))
        if not match:
            raise ValidationError(
                option,
                value,
                "is not an IAM Identity Center application ARN "
                "(arn:aws:sso::<account>:application/ssoins-<16>/apl-<16>)",
            )
    else:
        service, prefix, needs_region, _needs_account = _KINDS[kind]
        if arn.service != service or not arn.resource.startswith(prefix) or arn.resource == prefix:
            raise ValidationError(option, value, f"is not a {kind} ARN (arn:<partition>:{service}:...:{prefix}<name>)")
        if needs_region and not arn.region:
            raise ValidationError(option, value, f"a {kind} ARN names its region")
        if not needs_region and arn.region:
            raise ValidationError(option, value, f"a {kind} ARN has an empty region field")
    if not ACCOUNT_ID.fullmatch(arn.account_id) and not (kind == "policy" and arn.account_id == "aws"):
        raise ValidationError(option, value, "the account id must be 12 digits")
    try:
        if kind == "connect-instance":
            partition_for_region(arn.region, option)
            validate_connect_instance_id(arn.resource.split("/")[1], option)
    except ValidationError as inner:  # name the whole ARN, with the inner rule
        raise ValidationError(option, value, f"{inner.value!r} {inner.rule}") from None
    if partition and arn.partition != partition:
        raise ValidationError(
            option, value, f"is in partition {arn.partition}, but the target is in partition {partition}"
        )
    return arn


def saml_provider_arn(account_id: str, name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account_id}:saml-provider/{name}"


def role_arn(account_id: str, name: str, path: str = "/", partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account_id}:role{path}{name}"


def connect_instance_arn(region: str, account_id: str, instance_id: str) -> str:
    return f"arn:{partition_for_region(region)}:connect:{region}:{account_id}:instance/{instance_id}"


def connect_federation_resource(instance_arn: str) -> str:
    """What connect:GetFederationToken is granted on: the instance's users, as the caller's own session."""
    return instance_arn + FEDERATION_USER_SUFFIX


def _check(pattern: "re.Pattern[str]", value: object, option: str, rule: str) -> str:
    # fullmatch: "$" alone would also accept a trailing newline
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValidationError(option, value, rule)
    return value


def validate_account_id(value: object, option: str = "account_id") -> str:
    return _check(ACCOUNT_ID, value, option, "an AWS account id is 12 digits")


def validate_provider_name(value: object, option: str = "name") -> str:
    return _check(
        PROVIDER_NAME, value, option, "an IAM SAML provider name is 1 to 128 characters from letters, digits and ._-"
    )


def validate_role_name(value: object, option: str = "name") -> str:
    return _check(ROLE_NAME, value, option, "an IAM role name is 1 to 64 characters from letters, digits and +=,.@_-")


def validate_policy_name(value: object, option: str = "policy_name") -> str:
    return _check(
        POLICY_NAME, value, option, "an IAM policy name is 1 to 128 characters from letters, digits and +=,.@_-"
    )


def validate_role_path(value: object, option: str = "path") -> str:
    return _check(ROLE_PATH, value, option, "an IAM path is '/' or starts and ends with '/', at most 512 characters")


def validate_connect_instance_id(value: object, option: str = "instance_id") -> str:
    return _check(CONNECT_INSTANCE_ID, value, option, "an Amazon Connect instance id is a lower-case UUID")


def application_id_to_instance_id(application_id: str) -> str:
    """apl-<hex> (public API) -> ins-<hex> (console API): the same app (docs/aws-facts.md#application-ids-and-provider-arns)."""
    return "ins-" + application_id[len("apl-") :]


def instance_id_to_application_id(instance_id: str) -> str:
    return "apl-" + instance_id[len("ins-") :]


def parse_app_reference(value: object, option: str = "app") -> dict:
    """What an `app` option names: {'arn'}, {'instance_id'} or {'display_name'}."""
    if not isinstance(value, str) or not value:
        raise ValidationError(option, value, "name the app by display name, apl-/ins- id or application ARN")
    if value.startswith("arn:"):
        validate_arn(value, option, "sso-application")
        return {"arn": value, "instance_id": application_id_to_instance_id(value.rsplit("/", 1)[1])}
    if IDC_APP_INSTANCE_ID.match(value):
        return {"instance_id": value}
    if IDC_APPLICATION_ID.match(value):
        return {"instance_id": application_id_to_instance_id(value)}
    if value.startswith(("apl-", "ins-")):
        raise ValidationError(option, value, "an app id is apl- or ins- followed by 16 lower-case hex digits")
    return {"display_name": value}
