# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""ARN filters for playbooks and roles: the builders of module_utils/arns.py, with the partition
taken from the region (module_utils/partitions.py), so a playbook never spells an ARN in Jinja.

The documentation of each filter is in the YAML file of the same name beside this one.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.connect_sso.federation.plugins.module_utils import arns
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region


def _account_id(value: object) -> str:
    # YAML reads an unquoted account id as an int; its digits are what IAM needs
    return arns.validate_account_id(str(value) if isinstance(value, int) else value, "account_id")


def _checked(name: str, build):
    """Run build(); a bad input fails with its rule, named after the filter, never a traceback."""
    try:
        return build()
    except ValidationError as error:
        raise AnsibleFilterError(f"connect_sso.federation.{name}: {error}") from None


def role_arn(name: str, account_id: object, region: str, path: str = "/") -> str:
    """ARN of the IAM role called name (with path) in account_id, in region's partition."""
    return _checked(
        "role_arn",
        lambda: arns.role_arn(
            _account_id(account_id),
            arns.validate_role_name(name, "name"),
            arns.validate_role_path(path, "path"),
            partition=partition_for_region(region, "region"),
        ),
    )


def saml_provider_arn(name: str, account_id: object, region: str) -> str:
    """ARN of the IAM SAML provider called name in account_id, in region's partition."""
    return _checked(
        "saml_provider_arn",
        lambda: arns.saml_provider_arn(
            _account_id(account_id),
            arns.validate_provider_name(name, "name"),
            partition=partition_for_region(region, "region"),
        ),
    )


def connect_instance_arn(instance_id: str, account_id: object, region: str) -> str:
    """ARN of the Amazon Connect instance instance_id of account_id in region."""
    return _checked(
        "connect_instance_arn",
        lambda: arns.connect_instance_arn(
            region, _account_id(account_id), arns.validate_connect_instance_id(instance_id, "instance_id")
        ),
    )


class FilterModule:
    def filters(self):
        return {
            "role_arn": role_arn,
            "saml_provider_arn": saml_provider_arn,
            "connect_instance_arn": connect_instance_arn,
        }
