#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sso_app_attributes
version_added: 0.1.0
short_description: What an IAM Identity Center SAML app asserts to AWS for Amazon Connect
description:
  - Sets an IdC SAML application's attribute mappings, relay state and session duration, the
    way Amazon Connect needs them (see docs/aws-facts.md, SAML attributes) - Subject, the C(Role) attribute built from
    (role ARN, provider ARN) pairs, role first, C(RoleSessionName) (which must equal the Connect
    username), any extra attributes, and the relay state that sends the user to the instance.
  - Writes only what differs. A C(Role) pair written provider-first counts as the same pair.
  - How the current mappings are known - the fields C(GetApplicationInstance) returns are
    compared; the published shape of that API does not include them. For every field it sets that
    the answer does not carry, the module relies on a digest of what it last applied, kept as a tag
    on the application (C(connect_sso.federation:attributes-sha256)) and written after every
    change. Console edits of such fields are invisible to it until the inputs change;
    RV(compared_by) says which way was used and RV(unverified) names those fields.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  role_pairs:
    description:
      - The roles users may take, each with the SAML provider it trusts; same account within a pair,
        every pair in the partition of the IdC region. Several pairs make the AWS sign-in page offer a choice.
    type: list
    elements: dict
    required: true
    suboptions:
      role_arn:
        description: ARN of the federation role (M(connect_sso.federation.connect_federation_role)).
        type: str
        required: true
      provider_arn:
        description: ARN of the SAML provider (M(connect_sso.federation.connect_saml_idp)).
        type: str
        required: true
  relay_state:
    description:
      - Where IdC sends the user after sign-in - the instance's federate URL on its regional console host.
      - When omitted and O(instance_arn) is given, it is built from the instance's region and id.
    type: str
  instance_arn:
    description:
      - ARN of the Connect instance, to build O(relay_state) from (with O(relay_destination) and O(new_domain)).
    type: str
extends_documentation_fragment:
  - connect_sso.federation.app
  - connect_sso.federation.assertion
  - connect_sso.federation.control_api
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Attribute mappings for the prod us-west-2 app
  connect_sso.federation.sso_app_attributes:
    region: us-east-1
    app: AmazonConnect-PROD-us-west-2
    role_pairs:
      - role_arn: arn:aws:iam::444444444444:role/AmazonConnect_PROD_us-west-2_Role
        provider_arn: arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect
    instance_arn: "{{ connect.instance.arn }}"
    relay_destination: /agent-app-v2
    session_duration: PT8H
"""

RETURN = r"""
pending:
  description: In check mode, when the application does not exist yet - why the change cannot be planned in detail.
  returned: when the application does not exist yet (check mode)
  type: str
  sample: created once the IdC application exists
before:
  description: The mappings as they were (from the API), or only the digest of what was last applied.
  returned: always
  type: dict
after:
  description: The response and response schema configuration the app has (or would have).
  returned: always
  type: dict
compared_by:
  description:
    - C(configuration) when the API showed every field the module sets, C(partial) when it showed
      some (the rest were compared by the digest), C(digest) when it showed none, C(none) in manual mode.
  returned: always
  type: str
unverified:
  description:
    - What the module could not read back - with O(control_api=false) everything it sets, otherwise
      the fields the API did not show (their state is known only from the digest of the last apply).
  returned: always
  type: list
  elements: str
  sample: ["session duration", "relay state"]
relay_state:
  description: The relay state used.
  returned: always
  type: str
manual_steps:
  description: With O(control_api=false), the console steps and values.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import app_attributes
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app_config as config
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc, resolve_app
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import partition_for_region
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import relay_state_for


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            app=dict(type="str", required=True),
            role_pairs=dict(
                type="list",
                elements="dict",
                required=True,
                options=dict(role_arn=dict(type="str", required=True), provider_arn=dict(type="str", required=True)),
            ),
            relay_state=dict(type="str"),
            instance_arn=dict(type="str"),
            **config.ASSERTION_SPEC,
            control_api=dict(type="bool", default=True),
        ),
        mutually_exclusive=[["relay_state", "instance_arn"]],
        supports_check_mode=True,
    )

    def body():
        params, region = module.params, module.region
        relay = relay_state_for(
            params["relay_state"], params["instance_arn"], params["relay_destination"], params["new_domain"]
        )
        if relay is None:
            module.warn("no relay_state or instance_arn: after sign-in users land on the AWS console, not on Connect")
        options = config.assertion_options(
            params["role_session_name"],
            params["subject"],
            params["subject_format"],
            params["attributes"],
            params["session_duration"],
        )
        response, schema = config.desired_attributes(
            params["role_pairs"], options, relay, app_partition=partition_for_region(region)
        )
        idc = connect_idc(account_clients(module, region), params["control_api"])
        app = resolve_app(idc, params["app"], check_mode=module.check_mode)
        result = app_attributes.ensure(idc, app, response, schema, check_mode=module.check_mode)
        return dict(result, relay_state=relay)

    run(module, body)


if __name__ == "__main__":
    main()
