#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_federation_role
version_added: 0.1.0
short_description: IAM role that IAM Identity Center users federate into to reach Amazon Connect
description:
  - Creates, updates or deletes the IAM role named in an IdC app's C(Role) attribute.
  - Its trust policy allows C(sts:AssumeRoleWithSAML) from the given SAML providers only when
    C(SAML:aud) is one of the given ACS URLs; its permission policy allows
    C(connect:GetFederationToken) on the given instances only, and only for the caller's own
    Connect user (C(instance/<id>/user/${aws:userid})).
  - Policies are compared by meaning (statement order, string versus one-element list), so a
    rerun makes no write.
  - Every input is checked before the first call; ARNs must agree on account and partition, and
    the partition must be that of O(region), which is required (IAM is global, so the region only
    names the partition).
  - Switching O(policy_type) removes the grant of the other type (the inline policy, or the attachment
    of the managed policy, which is deleted too when this collection created it and no other entity uses it).
notes:
  - O(tags) are checked before any write, as IAM checks them - no key starting with C(aws:) in any case,
    keys of 1 to 128 characters, values of at most 256, at most 49 tags (IAM allows 50 and the C(managed-by) tag is added).
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  name:
    description: Role name, 1 to 64 characters from letters, digits and C(+=,.@_-).
    type: str
    required: true
  provider_arns:
    description:
      - ARNs of the IAM SAML providers the role trusts (usually one, from M(connect_sso.federation.connect_saml_idp)).
      - Required with O(state=present).
    type: list
    elements: str
  instance_arns:
    description:
      - ARNs of the Amazon Connect instances the role may federate into. Required with O(state=present).
    type: list
    elements: str
  saml_audiences:
    description:
      - The values C(SAML:aud) may take, that is the ACS URLs the IdC app posts to.
      - Defaults to the global sign-in ACS of the instances' partition (C(https://signin.aws.amazon.com/saml)).
        Add the regional ACS (C(https://<region>.signin.aws.amazon.com/saml)) before switching an app to it.
    type: list
    elements: str
  max_session_duration:
    description:
      - Longest session, in seconds, the role allows (3600 to 43200).
      - 43200 lets a SAML C(SessionDuration) ask for up to 12 hours, Connect's own session limit.
    type: int
    default: 43200
  path:
    description: IAM path of the role (and of the managed policy). IAM cannot change a role's path later.
    type: str
    default: /
  description:
    description: Role description.
    type: str
    default: Amazon Connect federation through IAM Identity Center (connect_sso.federation)
  permissions_boundary:
    description:
      - ARN of an existing managed policy to set as permissions boundary.
      - Mutually exclusive with O(permissions_boundary_policy). Omit both to have none (weaker - docs/iam/README.md).
    type: str
  policy_name:
    description: Name of the inline policy (or of the customer managed policy) holding the federation permission.
    type: str
    default: AmazonConnectFederation
  policy_type:
    description:
      - V(inline) puts the federation permission in an inline policy of the role.
      - V(managed) creates a customer managed policy of that name and attaches it instead.
    type: str
    choices: [inline, managed]
    default: inline
extends_documentation_fragment:
  - connect_sso.federation.boundary
  - connect_sso.federation.ownership
  - amazon.aws.tags
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Role for the prod us-west-2 instance
  connect_sso.federation.connect_federation_role:
    name: AmazonConnect_PROD_us-west-2_Role
    provider_arns:
      - arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect
    instance_arns:
      - "{{ connect.instance.arn }}"

- name: Allow the regional ACS too, ahead of switching the app to it
  connect_sso.federation.connect_federation_role:
    name: AmazonConnect_PROD_us-west-2_Role
    provider_arns: [arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect]
    instance_arns: ["{{ connect.instance.arn }}"]
    saml_audiences:
      - https://signin.aws.amazon.com/saml
      - https://us-west-2.signin.aws.amazon.com/saml
"""

RETURN = r"""
arn:
  description: ARN of the role (in check mode, the ARN it will have; null after O(state=absent)).
  returned: always
  type: str
  sample: arn:aws:iam::444444444444:role/AmazonConnect_PROD_us-west-2_Role
trust_policy:
  description: The trust policy the role has (or would have, in check mode).
  returned: when state is present
  type: dict
federation_policy:
  description: The federation permission policy the role has (or would have).
  returned: when state is present
  type: dict
boundary:
  description: The boundary policy's C(arn), and C(changed) when it was created (or would be, in check mode).
  returned: when O(permissions_boundary_policy) is given and state is present
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import federation_role, partitions
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    provider_arns=dict(type="list", elements="str"),
    instance_arns=dict(type="list", elements="str"),
    saml_audiences=dict(type="list", elements="str"),
    max_session_duration=dict(type="int", default=43200),
    path=dict(type="str", default="/"),
    description=dict(type="str", default=federation_role.DEFAULT_DESCRIPTION),
    permissions_boundary=dict(type="str"),
    permissions_boundary_policy=federation_role.BOUNDARY_POLICY_SPEC,
    policy_name=dict(type="str", default="AmazonConnectFederation"),
    policy_type=dict(type="str", choices=["inline", "managed"], default="inline"),
    tags=dict(type="dict", aliases=["resource_tags"]),
    purge_tags=dict(type="bool", default=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    force=dict(type="bool", default=False),
)


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        required_if=[["state", "present", ["provider_arns", "instance_arns"]]],
        mutually_exclusive=[["permissions_boundary", "permissions_boundary_policy"]],
        supports_check_mode=True,
    )

    def body():
        params = module.params
        # IAM is global, but the region names the partition every ARN must be in
        partition = partitions.partition_for_region(module.region)
        present = params["state"] == "present"
        desired = federation_role.desired_state(
            params["name"],
            params["provider_arns"],
            params["instance_arns"],
            params["saml_audiences"],
            present=present,
            partition=partition,
            max_session_duration=params["max_session_duration"],
            path=params["path"],
            description=params["description"],
            permissions_boundary=params["permissions_boundary"],
            permissions_boundary_policy=params["permissions_boundary_policy"] if present else None,
            policy_name=params["policy_name"],
            policy_type=params["policy_type"],
            tags=params["tags"],
            purge_tags=params["purge_tags"],
        )
        iam = account_clients(module, module.region).client("iam")
        boundary = desired.get("boundary_policy")
        if present and boundary:  # the role can only be made once its boundary exists
            boundary = federation_role.ensure_boundary_policy(
                iam, boundary, params["tags"], check_mode=module.check_mode, warn=module.warn
            )
        result = federation_role.ensure(
            iam, desired, present=present, force=params["force"], check_mode=module.check_mode
        )
        if present and boundary:
            result["boundary"] = {"changed": boundary["changed"], "arn": boundary["arn"]}
            result["changed"] = result["changed"] or boundary["changed"]
        return result

    run(module, body)


if __name__ == "__main__":
    main()
