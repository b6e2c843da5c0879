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
    way Amazon Connect needs them (aws-facts §4.3) - Subject, the C(Role) attribute built from
    (role ARN, provider ARN) pairs, role first, C(RoleSessionName) (which must equal the Connect
    username), any extra attributes, and the relay state that sends the user to the instance.
  - Writes only what differs. A C(Role) pair written provider-first counts as the same pair.
  - How the current mappings are known - when C(GetApplicationInstance) returns them they are
    compared; the published shape of that API does not include them, and then the module keeps
    a digest of what it last applied as a tag on the application
    (C(connect_sso.federation:attributes-sha256)). In that case edits made in the console are
    invisible to it until the inputs change; RV(compared_by) says which way was used.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  app:
    description: The application - its display name, its C(apl-)/C(ins-) id or its ARN.
    type: str
    required: true
  role_pairs:
    description:
      - The roles users may take, each with the SAML provider it trusts; same account within a pair.
        Several pairs make the AWS sign-in page offer a choice.
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
  role_session_name:
    description:
      - Source of C(RoleSessionName), which Connect compares, case sensitively, with the username.
      - A C(${user:...}) attribute (C(email), C(subject), C(name), C(preferredUsername), C(givenName),
        C(familyName), C(middleName), C(AD_GUID)) or a literal.
    type: str
    default: "${user:email}"
  subject:
    description: Source of the assertion's Subject (NameID).
    type: str
    default: "${user:email}"
  subject_format:
    description: NameID format of the Subject.
    type: str
    choices: [email, persistent, transient, unspecified]
    default: email
  attributes:
    description: Extra attributes, name to source (for example C(https://aws.amazon.com/SAML/Attributes/SessionDuration)).
    type: dict
    default: {}
  relay_state:
    description:
      - Where IdC sends the user after sign-in - the instance's federate URL on its regional console host.
      - When omitted and O(instance_arn) is given, it is built from the instance's region and id.
    type: str
  instance_arn:
    description: ARN of the Connect instance, to build O(relay_state) from.
    type: str
  relay_destination:
    description: With O(instance_arn), the page to open, for example C(/ccp-v2) or C(/agent-app-v2).
    type: str
  new_domain:
    description: With O(instance_arn), add C(new_domain=true) (instances on C(*.my.connect.aws)).
    type: bool
    default: false
  session_duration:
    description: How long the SAML session lasts, ISO-8601, C(PT15M) to C(PT12H).
    type: str
    default: PT1H
extends_documentation_fragment:
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
before:
  description: The mappings as they were (from the API), or only the digest of what was last applied.
  returned: always
  type: dict
after:
  description: The response and response schema configuration the app has (or would have).
  returned: always
  type: dict
compared_by:
  description: C(configuration) when the API showed the current mappings, C(digest) otherwise, C(none) in manual mode.
  returned: always
  type: str
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
from ansible_collections.connect_sso.federation.plugins.module_utils import idc
from ansible_collections.connect_sso.federation.plugins.module_utils import saml_app_config as config
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import validate_arn
from ansible_collections.connect_sso.federation.plugins.module_utils.idc_control import IdcControl
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run
from ansible_collections.connect_sso.federation.plugins.module_utils.relay_state import (
    federate_url,
    validate_relay_state,
)


def desired_relay_state(params):
    if params["relay_state"]:
        return validate_relay_state(params["relay_state"], "relay_state")
    if params["instance_arn"]:
        arn = validate_arn(params["instance_arn"], "instance_arn", "connect-instance")
        return federate_url(
            arn.region,
            arn.resource.split("/")[1],
            params["relay_destination"],
            params["new_domain"],
            "relay_destination",
        )
    return None


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
            role_session_name=dict(type="str", default="${user:email}"),
            subject=dict(type="str", default="${user:email}"),
            subject_format=dict(type="str", choices=list(config.NAMEID_FORMATS), default="email"),
            attributes=dict(type="dict", default={}),
            relay_state=dict(type="str"),
            instance_arn=dict(type="str"),
            relay_destination=dict(type="str"),
            new_domain=dict(type="bool", default=False),
            session_duration=dict(type="str", default="PT1H"),
            control_api=dict(type="bool", default=True),
        ),
        mutually_exclusive=[["relay_state", "instance_arn"]],
        supports_check_mode=True,
    )

    def body():
        params, region = module.params, module.region
        pairs = config.validate_role_pairs(params["role_pairs"])
        session_name = config.validate_source(params["role_session_name"], "role_session_name")
        subject = config.validate_source(params["subject"], "subject")
        extras = {str(k): config.validate_source(v, f"attributes.{k}") for k, v in params["attributes"].items()}
        config.duration_seconds(params["session_duration"])
        relay = desired_relay_state(params)
        if relay is None:
            module.warn("no relay_state or instance_arn: after sign-in users land on the AWS console, not on Connect")
        response = config.response_config(pairs, session_name, subject, extras, relay, params["session_duration"])
        schema = config.response_schema_config(params["subject_format"], list(response["properties"]))
        after = {"responseConfig": response, "responseSchemaConfig": schema}
        result = dict(changed=False, after=after, before={}, relay_state=relay, manual_steps=[], compared_by="none")

        sso = module.client("sso-admin")
        instance = idc.get_instance(sso, region)
        app = idc.resolve_app(sso, instance, params["app"])
        if not params["control_api"]:
            result["manual_steps"] = config.manual_attribute_steps(app["name"], response, schema)
            return result

        control = IdcControl(module, sso, region)
        shape = control.get_app(app["instance_id"])
        wanted_digest = config.digest(response, schema)
        if "responseConfig" in shape:
            result.update(
                compared_by="configuration",
                before={k: shape.get(k) or {} for k in ("responseConfig", "responseSchemaConfig")},
            )
            changed = not config.configs_equal(
                shape.get("responseConfig"), shape.get("responseSchemaConfig"), response, schema
            )
        else:
            stored = idc.get_tags(sso, instance["arn"], app["arn"]).get(config.DIGEST_TAG)
            result.update(compared_by="digest", before={"applied_digest": stored})
            changed = stored != wanted_digest
        if changed and not module.check_mode:
            control.update_response(app["instance_id"], response)
            control.update_response_schema(app["instance_id"], schema)
            idc.set_tags(sso, instance["arn"], app["arn"], {config.DIGEST_TAG: wanted_digest})
        result.update(changed=changed, diff={"before": result["before"], "after": after})
        return result

    run(module, body)


if __name__ == "__main__":
    main()
