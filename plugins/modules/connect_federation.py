#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_federation
version_added: 0.1.0
short_description: The whole IAM Identity Center sign-in chain of one Amazon Connect instance
description:
  - In one pass, with credentials for the instance's account (the standard AWS options) and for the
    IdC account (O(idc)), makes every link of the chain that signs users in to one Amazon Connect
    instance through IAM Identity Center
    (1) finds the instance and checks it is SAML and ACTIVE;
    (2) the IdC custom SAML app (M(connect_sso.federation.sso_saml_app));
    (3) the IAM SAML provider holding the app's metadata (M(connect_sso.federation.connect_saml_idp));
    (4) the IAM role trusting it, allowed C(connect:GetFederationToken) on this instance only
    (M(connect_sso.federation.connect_federation_role));
    (5) the app's attribute mappings and relay state (M(connect_sso.federation.sso_app_attributes));
    (6) the app's assignments (M(connect_sso.federation.sso_app_assignment)).
  - Each step is the same code as the single-purpose module named, so results, check mode and diff
    behave the same; running them as one module process per instance is what makes a run over
    hundreds of instances fast. The role M(connect_sso.federation.connect_federation) uses it.
  - Every input is checked before the first write. An interrupted run converges on the next one.
  - In check mode on a first run the provider, attributes and assignments cannot be planned in
    detail before the app exists; they are reported as pending changes.
  - With O(control_api=false) and no app yet, the app has to be made in the console first
    (C(app.manual_steps), then C(attributes.manual_steps)). The IAM provider needs its metadata, so
    the member side waits, unchanged and with a warning, until a run finds the app.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  idc_facts:
    description:
      - What M(connect_sso.federation.idc_facts) read once for the whole run (its RV(connect_sso.federation.idc_facts#module:facts)),
        that is the IdC instance, its custom SAML apps and principal ids. With it the module reads none of them again, which
        keeps a run over many instances down to a few AWS calls per instance.
      - Ignored when its region is not O(idc.region). Names it does not hold are looked up as usual.
    type: dict
  app_name:
    description: Display name of the IdC application.
    type: str
    required: true
  app_description:
    description: Description of the IdC application.
    type: str
    default: ""
  enabled:
    description: Whether the IdC application is enabled.
    type: bool
    default: true
  acs_url:
    description: ACS of the app; the partition's global sign-in ACS by default.
    type: str
  audience:
    description: SAML audience of the app; the partition's by default.
    type: str
  provider_name:
    description: Name of the IAM SAML provider in the instance's account.
    type: str
    required: true
  role_name:
    description: Name of the federation role in the instance's account.
    type: str
    required: true
  role_path:
    description: IAM path of the role.
    type: str
    default: /
  saml_audiences:
    description: The SAML:aud values the role accepts; the partition's global ACS by default.
    type: list
    elements: str
  max_session_duration:
    description: The role's maximum session duration, seconds.
    type: int
    default: 43200
  permissions_boundary:
    description:
      - ARN of an existing managed policy to set as the role's permissions boundary.
      - Mutually exclusive with O(permissions_boundary_policy). Omit both to have none (weaker - docs/iam/README.md).
    type: str
  policy_name:
    description: Name of the role's federation policy.
    type: str
    default: AmazonConnectFederation
  policy_type:
    description: Inline or customer managed federation policy.
    type: str
    choices: [inline, managed]
    default: inline
  assignment_required:
    description: Whether only assigned principals may use the app; left alone when omitted.
    type: bool
  exclusive_assignments:
    description:
      - Remove assigned principals not listed in O(principals).
      - The same option as M(connect_sso.federation.sso_app_assignment)'s, with another default - here the
        inventory is the complete list of who may use the app, so V(true); the single-purpose module adds by default.
    type: bool
    default: true
  tags:
    description:
      - Tags for the provider and the role (the C(managed-by) tag is always added).
      - O(tags) are checked before any write, as IAM checks them - no key starting with C(aws:) in any case,
        keys of 1 to 128 characters, values of at most 256, at most 49 tags (IAM allows 50 and the C(managed-by) tag is added).
    type: dict
  fail_on_drift:
    description:
      - In check mode, fail when anything differs from what is asked, naming the steps that differ (a compliance
        run a pipeline can gate on). The result still holds every step's result and diff.
      - A Connect username that differs from the wanted one only in case (RV(users.case_mismatches)) counts as drift.
      - Outside check mode it has no effect.
    type: bool
    default: false
  users:
    description:
      - The last step, the instance's Connect users from IdC group membership, the same code as
        M(connect_sso.federation.connect_saml_users) - see that module for what each option does.
        The usernames are what the app sends as RoleSessionName (O(role_session_name)), so the two always agree.
      - Off (no Connect user read or changed) while O(users.access) is empty.
    type: dict
    suboptions:
      access:
        description:
          - The IdC groups whose members get a Connect user, each entry as
            M(connect_sso.federation.connect_saml_users)'s O(connect_sso.federation.connect_saml_users#module:access),
            checked the same way before any write.
        type: list
        elements: dict
        default: []
      adopt:
        description: As M(connect_sso.federation.connect_saml_users)'s O(connect_sso.federation.connect_saml_users#module:adopt).
        type: bool
        default: false
      exclusive:
        description: As M(connect_sso.federation.connect_saml_users)'s O(connect_sso.federation.connect_saml_users#module:exclusive).
        type: bool
        default: false
  inventory_error:
    description:
      - Set by the role M(connect_sso.federation.connect_federation) - what its run-wide inventory check found wrong
        with this host (its variables, or a name another host of the run also uses). The module fails with it
        before any AWS call, so the role checks every host in one task while each host still fails on its own.
    type: str
extends_documentation_fragment:
  - connect_sso.federation.connect_instance
  - connect_sso.federation.boundary
  - connect_sso.federation.idc
  - connect_sso.federation.assertion
  - connect_sso.federation.assertion.principals
  - connect_sso.federation.control_api
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Federate prod us-west-2 (credentials from module_defaults, IdC credentials from a prior task)
  connect_sso.federation.connect_federation:
    region: us-west-2
    instance_alias: acme-prod-west
    idc:
      region: us-east-1
      access_key: "{{ idc_creds.access_key }}"
      secret_key: "{{ idc_creds.secret_key }}"
      session_token: "{{ idc_creds.session_token }}"
    app_name: AmazonConnect-PROD-us-west-2
    provider_name: AWSSSO_PROD_us-west-2_Connect
    role_name: AmazonConnect_PROD_us-west-2_Role
    principals:
      - {type: GROUP, name: connect-prod-agents}
"""

RETURN = r"""
instance:
  description: The instance, as M(connect_sso.federation.connect_instance_info) returns it.
  returned: always
  type: dict
app:
  description: The app step's result (as M(connect_sso.federation.sso_saml_app) returns it).
  returned: always
  type: dict
provider:
  description: The provider step's result (as M(connect_sso.federation.connect_saml_idp) returns it).
  returned: always
  type: dict
boundary:
  description: The boundary policy's result (C(changed), C(arn)), when O(permissions_boundary_policy) is given.
  returned: when O(permissions_boundary_policy) is given
  type: dict
role:
  description: The role step's result (as M(connect_sso.federation.connect_federation_role) returns it).
  returned: always
  type: dict
attributes:
  description: The attribute step's result (as M(connect_sso.federation.sso_app_attributes) returns it).
  returned: always
  type: dict
assignments:
  description: The assignment step's result (as M(connect_sso.federation.sso_app_assignment) returns it).
  returned: always
  type: dict
users:
  description: The Connect users step's result (as M(connect_sso.federation.connect_saml_users) returns it).
  returned: when O(users.access) maps groups and the app exists
  type: dict
  contains:
    case_mismatches:
      description: Connect users whose username differs from the wanted one only in case, each with the fix.
      type: list
      elements: dict
relay_state:
  description: The relay state that sends users to this instance.
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import chain
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import IDC_SPEC, account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.connect import INSTANCE_OPTIONS, ONE_INSTANCE
from ansible_collections.connect_sso.federation.plugins.module_utils.federation_role import BOUNDARY_POLICY_SPEC
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import PRINCIPALS_SPEC, connect_idc
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import ASSERTION_SPEC

# each access entry is checked in module_utils against connect_saml_users' spec (connect_users.access_entries)
USERS_OPTIONS = dict(
    access=dict(type="list", elements="dict", default=[]),
    adopt=dict(type="bool", default=False),
    exclusive=dict(type="bool", default=False),
)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            idc=IDC_SPEC,
            idc_facts=dict(type="dict"),
            **INSTANCE_OPTIONS,
            app_name=dict(type="str", required=True),
            app_description=dict(type="str", default=""),
            enabled=dict(type="bool", default=True),
            acs_url=dict(type="str"),
            audience=dict(type="str"),
            provider_name=dict(type="str", required=True),
            role_name=dict(type="str", required=True),
            role_path=dict(type="str", default="/"),
            saml_audiences=dict(type="list", elements="str"),
            max_session_duration=dict(type="int", default=43200),
            permissions_boundary=dict(type="str"),
            permissions_boundary_policy=BOUNDARY_POLICY_SPEC,
            policy_name=dict(type="str", default="AmazonConnectFederation"),
            policy_type=dict(type="str", choices=["inline", "managed"], default="inline"),
            **ASSERTION_SPEC,
            principals=PRINCIPALS_SPEC,
            assignment_required=dict(type="bool"),
            exclusive_assignments=dict(type="bool", default=True),
            tags=dict(type="dict"),
            control_api=dict(type="bool", default=True),
            fail_on_drift=dict(type="bool", default=False),
            users=dict(type="dict", options=USERS_OPTIONS),
            inventory_error=dict(type="str"),
        ),
        mutually_exclusive=[ONE_INSTANCE, ["permissions_boundary", "permissions_boundary_policy"]],
        supports_check_mode=True,
    )

    def body():
        params = module.params
        if params["inventory_error"]:
            module.fail_json(msg=params["inventory_error"])
        desired = chain.validate(params, params["idc"]["region"], module.region or "")
        member = account_clients(module, module.region)
        idc_account = account_clients(module, params["idc"]["region"], params["idc"])
        idc = connect_idc(idc_account, params["control_api"], facts=params["idc_facts"])
        result = chain.federate(member, idc, desired, check_mode=module.check_mode, warn=module.warn)
        drift = chain.drift_message(result) if module.check_mode and params["fail_on_drift"] else None
        if drift:
            module.fail_json(msg=drift, **result)
        return result

    run(module, body)


if __name__ == "__main__":
    main()
