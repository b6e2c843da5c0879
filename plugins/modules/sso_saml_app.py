#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sso_saml_app
version_added: 0.1.0
short_description: IAM Identity Center custom SAML 2.0 application for one Amazon Connect instance
description:
  - Ensures a custom SAML 2.0 application with this display name exists in IAM Identity Center,
    posting to the AWS sign-in ACS with the AWS audience, enabled or disabled as asked.
  - Creates it when there is none, adopts the one there is (without claiming ownership of it),
    and fails when two have the same name, listing their ids.
  - Returns what the member-account side needs, the app's metadata URL, its metadata document and
    its signing certificates with their expiry.
  - With O(state=absent) removes the app's assignments, then its profiles, then the app, and only
    when this collection created it (unless O(force=true)).
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  name:
    description: Display name of the application, for example C(AmazonConnect-PROD-us-west-2).
    type: str
    required: true
  description:
    description: Description shown in the IdC console.
    type: str
    default: ""
  enabled:
    description: Whether the app is enabled (users can use it from the portal).
    type: bool
    default: true
  acs_url:
    description:
      - Assertion consumer service URL. Defaults to the global AWS sign-in ACS of the region's
        partition (C(https://signin.aws.amazon.com/saml); GovCloud C(https://signin.amazonaws-us-gov.com/saml)).
      - A regional ACS (C(https://<region>.signin.aws.amazon.com/saml)) needs the federation roles to
        list it in C(saml_audiences) first.
      - Only AWS sign-in endpoints are accepted - the global or a regional sign-in host of a
        supported partition, path C(/saml).
    type: str
  audience:
    description: SAML audience. Defaults to the partition's (C(urn:amazon:webservices)).
    type: str
extends_documentation_fragment:
  - connect_sso.federation.ownership
  - connect_sso.federation.control_api
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The IdC app for prod us-west-2
  connect_sso.federation.sso_saml_app:
    region: us-east-1   # the IdC home region
    name: AmazonConnect-PROD-us-west-2
    description: Amazon Connect prod (us-west-2)
  register: app

- name: Where an organisation forbids the console API, print the console steps
  connect_sso.federation.sso_saml_app:
    region: us-east-1
    name: AmazonConnect-PROD-us-west-2
    control_api: false
  register: app

- name: Show the console steps
  ansible.builtin.debug:
    var: app.manual_steps
"""

RETURN = r"""
application_arn:
  description: Public ARN of the application (C(.../apl-<hex>)); null when it does not exist (yet).
  returned: always
  type: str
  sample: arn:aws:sso::111111111111:application/ssoins-7223a1b2c3d4e5f6/apl-0123456789abcdef
instance_id:
  description: Console API id of the same application (C(ins-<hex>)).
  returned: always
  type: str
metadata_url:
  description: URL of the app's IdP metadata (no credentials needed to read it).
  returned: always
  type: str
metadata:
  description: The metadata document (null in check mode before creation).
  returned: always
  type: str
certificates:
  description: Signing certificates in the metadata.
  returned: always
  type: list
  elements: dict
  contains:
    sha256_fingerprint:
      description: SHA-256 fingerprint.
      type: str
    not_after:
      description: Expiry (ISO 8601 UTC).
      type: str
    subject:
      description: Certificate subject.
      type: str
adopted:
  description:
    - True when the app existed and was not created by this collection.
    - An untagged app of this name with neither ACS URL nor audience is taken for one this collection created in
      a run cut short before tagging it (the console cannot make such an app), so it is tagged C(managed-by)
      and not reported as adopted.
  returned: always
  type: bool
manual_steps:
  description: With O(control_api=false), the console steps and values; otherwise empty.
  returned: always
  type: list
  elements: str
unverified:
  description: With O(control_api=false), what the module could not check.
  returned: always
  type: list
  elements: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            description=dict(type="str", default=""),
            enabled=dict(type="bool", default=True),
            acs_url=dict(type="str"),
            audience=dict(type="str"),
            control_api=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )

    def body():
        params, region = module.params, module.region
        desired = saml_app.desired_state(
            params["name"], params["description"], params["enabled"], params["acs_url"], params["audience"], region
        )
        idc = connect_idc(account_clients(module, region), params["control_api"])
        result, _app = saml_app.ensure(
            idc, desired, present=params["state"] == "present", force=params["force"], check_mode=module.check_mode
        )
        return result

    run(module, body)


if __name__ == "__main__":
    main()
