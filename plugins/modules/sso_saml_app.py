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

- ansible.builtin.debug:
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
  description: True when the app existed and was not created by this collection.
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
from ansible_collections.connect_sso.federation.plugins.module_utils import idc, saml_app
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import ValidationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import IdcControl
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import diff, is_owned, run
from ansible_collections.connect_sso.federation.plugins.module_utils.partitions import acs_url, saml_audience
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_app_config import manual_app_steps
from ansible_collections.connect_sso.federation.plugins.module_utils.saml_metadata import (
    certificate_summary,
    fetch_metadata,
    parse_metadata,
)


def metadata_result(url):
    if not url:
        return {"metadata_url": None, "metadata": None, "certificates": []}
    document = fetch_metadata(url, "metadata_url")
    parsed = parse_metadata(document, "the application's metadata", allow_expired=True)
    return {
        "metadata_url": url,
        "metadata": document,
        "certificates": [certificate_summary(c) for c in parsed.signing_certificates],
    }


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
        name = params["name"]
        if not 1 <= len(name) <= 100:
            raise ValidationError("name", name, "an application display name is 1 to 100 characters")
        if len(params["description"]) > 128:
            raise ValidationError("description", params["description"], "at most 128 characters")
        target_acs = params["acs_url"] or acs_url(region)
        if not target_acs.startswith("https://") or not target_acs.endswith("/saml"):
            raise ValidationError("acs_url", target_acs, "an AWS sign-in ACS is an https URL ending in /saml")
        desired = saml_app.desired_shape(
            name, params["description"], params["enabled"], target_acs, params["audience"] or saml_audience(region)
        )

        sso = module.client("sso-admin")
        instance = idc.get_instance(sso, region)
        app = idc.find_app_by_name(sso, instance, name)
        result = dict(
            changed=False,
            application_arn=app and app["arn"],
            instance_id=app and app["instance_id"],
            adopted=False,
            manual_steps=[],
            unverified=[],
        )

        if not params["control_api"]:
            result["manual_steps"] = manual_app_steps(
                name, params["description"], target_acs, desired["serviceProviderConfig"]["audience"], params["enabled"]
            )
            result["unverified"] = saml_app.unverified_fields(app is not None)
            url = app and saml_app.derived_metadata_url(
                sso.meta.endpoint_url, region, instance["owner_account"], app["instance_id"]
            )
            result.update(metadata_result(url))
            return result

        control = IdcControl(module, sso, region)
        current = control.get_app(app["instance_id"]) if app else None
        owned = app is not None and is_owned(idc.get_tags(sso, instance["arn"], app["arn"]))
        before = saml_app.describe(current)
        if params["state"] == "absent":
            if app is not None:
                saml_app.require_deletable(owned, params["force"], name)
                if not module.check_mode:
                    saml_app.delete(control, sso, app)
            result.update(
                changed=app is not None, diff=diff(before, None), metadata_url=None, metadata=None, certificates=[]
            )
            return result

        plan = saml_app.plan_present(current, desired)
        result["adopted"] = app is not None and not owned
        if plan.changed and not module.check_mode:
            made = saml_app.apply_present(control, sso, instance, plan, app, desired)
            result.update(application_arn=made["arn"], instance_id=made["instance_id"])
            current = current or control.get_app(made["instance_id"])
        url = current and current["identityProviderConfig"]["metadataUrl"]
        result.update(metadata_result(url), changed=plan.changed, diff=diff(before, saml_app.describe(desired)))
        return result

    run(module, body)


if __name__ == "__main__":
    main()
