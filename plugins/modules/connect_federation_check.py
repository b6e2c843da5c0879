#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_federation_check
version_added: 0.2.0
short_description: The federation doctor - name the broken link of one Amazon Connect instance's sign-in chain
description:
  - Walks the chain that signs users in to one Amazon Connect instance through IAM Identity Center, as a
    sign-in does, and checks every link, in this order -
    C(instance) (exists, SAML, ACTIVE), C(app) (exists), C(app_status) (enabled), C(assignment) (someone, and
    the inventory's O(principals), assigned), C(acs_audience), C(role_attribute) (present, well formed, a pair in
    the instance's account and partition), C(provider) (exists), C(provider_metadata) (issuer and signing
    certificate equal the app's current metadata), C(role_trust) (trusts that provider for the app's ACS),
    C(role_policy) (allows C(connect:GetFederationToken) on this instance; evaluated, so a wildcard or an explicit
    Deny is judged right, the permissions boundary included), C(relay_state) (points at this instance and region),
    C(session_name) (the RoleSessionName source gives valid values for STS and Connect), C(connect_user) (every
    assigned IdC user has a Connect user with exactly that username), C(certificate_expiry) (a warning from 90 days
    before expiry).
  - The app is the one named O(app_name); when there is none, one whose relay state sends users to this instance (when
    the console API shows the mappings), so a set-up made by hand with other names is diagnosed too. The provider and
    the role are the ones the app's Role attribute names, whatever they are called.
  - It never writes. Its result says which link broke first (RV(broken_link)) and, for every finding, what the user
    sees (the AWS or Connect error text) and what to change. The playbook C(doctor.yml) runs it for every host and
    writes the report.
  - The options are those of M(connect_sso.federation.connect_federation), so it reads the same inventory as
    C(site.yml).
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  idc_facts:
    description:
      - What M(connect_sso.federation.idc_facts) read once for the whole run (its RV(connect_sso.federation.idc_facts#module:facts)),
        that is the IdC instance and every custom SAML app with its console settings. With it the module does not read them again
        (the doctor looks at every app's relay state, so give it all the apps, not only the host's).
      - Ignored when its region is not O(idc.region).
    type: dict
  app_name:
    description: Display name of the IdC application the inventory names for this instance (found by relay state when absent).
    type: str
    required: true
  provider_name:
    description: Name of the IAM SAML provider the inventory names; the app's Role attribute wins when the console API shows it.
    type: str
    required: true
  role_name:
    description: Name of the federation role the inventory names; the app's Role attribute wins when the console API shows it.
    type: str
    required: true
  role_path:
    description: IAM path of the role.
    type: str
    default: /
  acs_url:
    description: ACS the app should have; the partition's global sign-in ACS by default.
    type: str
  audience:
    description: SAML audience the app should have; the partition's by default.
    type: str
  fail_on_error:
    description: Fail (the host fails, the playbook exits 2) when a link is broken, that is when a finding is an error.
    type: bool
    default: true
extends_documentation_fragment:
  - connect_sso.federation.connect_instance
  - connect_sso.federation.idc
  - connect_sso.federation.assertion
  - connect_sso.federation.assertion.principals
  - connect_sso.federation.control_api
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Diagnose prod us-west-2's sign-in chain (credentials of the instance's account from module_defaults)
  connect_sso.federation.connect_federation_check:
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
  register: doctor

- name: Diagnose an instance wired by hand (names unlike the collection's), without failing the play
  connect_sso.federation.connect_federation_check:
    region: us-west-2
    instance_alias: acme-prod-west
    idc:
      region: us-east-1
      access_key: "{{ idc_creds.access_key }}"
      secret_key: "{{ idc_creds.secret_key }}"
      session_token: "{{ idc_creds.session_token }}"
    app_name: Amazon Connect
    provider_name: IdentityCenter
    role_name: ConnectFederation
    fail_on_error: false
  register: doctor
"""

RETURN = r"""
instance_id:
  description: The instance's id (or the alias asked for, when it was not found).
  returned: always
  type: str
ok:
  description: Whether no finding is an error.
  returned: always
  type: bool
broken_link:
  description: The first link, in sign-in order, with an error finding; null when none.
  returned: always
  type: str
  sample: relay_state
findings:
  description: Every finding, in sign-in order.
  returned: always
  type: list
  elements: dict
  contains:
    link:
      description: The link (one of the names in the description).
      type: str
    severity:
      description: C(error) (sign-in fails) or C(warning).
      type: str
    message:
      description: What is wrong, in the words the user sees.
      type: str
    fix:
      description: What to change, in the console or in the inventory.
      type: str
  sample:
    - link: relay_state
      severity: error
      message: "Session expired: the relay state sends users to instance 5c1e... in us-east-1, not to this instance"
      fix: "set the relay state of AmazonConnect-QA-us-west-2 to https://us-west-2.console.aws.amazon.com/connect/federate/..."
unchecked:
  description: The links not checked because an earlier one left nothing to check (no instance, no app).
  returned: always
  type: list
  elements: str
app:
  description: The app diagnosed - C(name), C(arn), C(found_by) (C(name) or C(relay_state)).
  returned: always
  type: dict
role_arn:
  description: The role the app's Role attribute names (or the inventory's).
  returned: always
  type: str
provider_arn:
  description: The provider the app's Role attribute names (or the inventory's).
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import doctor
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import IDC_SPEC, account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.connect import INSTANCE_OPTIONS, ONE_INSTANCE
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import PRINCIPALS_SPEC, connect_idc
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import ASSERTION_SPEC

ARGUMENT_SPEC = dict(
    idc=IDC_SPEC,
    idc_facts=dict(type="dict"),
    **INSTANCE_OPTIONS,
    app_name=dict(type="str", required=True),
    provider_name=dict(type="str", required=True),
    role_name=dict(type="str", required=True),
    role_path=dict(type="str", default="/"),
    acs_url=dict(type="str"),
    audience=dict(type="str"),
    **ASSERTION_SPEC,
    principals=PRINCIPALS_SPEC,
    control_api=dict(type="bool", default=True),
    fail_on_error=dict(type="bool", default=True),
)


def main():
    module = AnsibleAWSModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[ONE_INSTANCE],
        required_one_of=[ONE_INSTANCE],
        supports_check_mode=True,
    )

    def body():
        params = module.params
        member = account_clients(module, module.region)
        idc_account = account_clients(module, params["idc"]["region"], params["idc"])
        idc = connect_idc(idc_account, params["control_api"], facts=params["idc_facts"])
        result = doctor.diagnose(member, idc, params)
        if params["fail_on_error"] and not result["ok"]:
            module.fail_json(msg=doctor.failure_message(result), **result)
        return dict(result, changed=False)

    run(module, body)


if __name__ == "__main__":
    main()
