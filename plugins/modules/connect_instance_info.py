#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_instance_info
version_added: 0.1.0
short_description: Find an Amazon Connect instance by id or alias
description:
  - Looks up one Amazon Connect instance in the given region, by its id or by its alias, and
    returns what the rest of the federation chain needs (id, ARN, identity management type, status).
  - Paginates ListInstances, so it finds an instance among any number of them.
  - An alias that matches no instance, or more than one, fails with the list of instances
    that do exist in that region.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  require_saml:
    description:
      - Fail unless the instance uses SAML identity management and is ACTIVE.
      - SAML federation through IAM Identity Center works only with SAML instances, and the
        identity management type of an instance cannot be changed after it is created.
    type: bool
    default: false
notes:
  - Makes no change, so it supports check mode fully.
extends_documentation_fragment:
  - connect_sso.federation.connect_instance
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Find the prod instance in us-west-2 by alias and require SAML
  connect_sso.federation.connect_instance_info:
    region: us-west-2
    instance_alias: acme-prod-west
    require_saml: true
  register: connect

- name: Show its ARN
  ansible.builtin.debug:
    msg: "{{ connect.instance.arn }}"
"""

RETURN = r"""
instance:
  description: The instance found.
  returned: success
  type: dict
  contains:
    id:
      description: Instance id.
      type: str
      sample: 3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21
    arn:
      description: Instance ARN.
      type: str
      sample: arn:aws:connect:us-west-2:444444444444:instance/3f2b6c1e-0f0e-4b8a-9a57-5d7c1d4e6a21
    alias:
      description: Instance alias.
      type: str
      sample: acme-prod-west
    identity_management_type:
      description: C(SAML), C(CONNECT_MANAGED) or C(EXISTING_DIRECTORY).
      type: str
      sample: SAML
    status:
      description: C(CREATION_IN_PROGRESS), C(ACTIVE) or C(CREATION_FAILED).
      type: str
      sample: ACTIVE
    access_url:
      description: The instance's access URL. With SAML, agents do not sign in here but through the IdP.
      type: str
      sample: https://acme-prod-west.my.connect.aws
    account_id:
      description: The account that owns the instance.
      type: str
      sample: "444444444444"
    region:
      description: The instance's region.
      type: str
      sample: us-west-2
    service_role:
      description: The instance's service-linked role.
      type: str
    created_time:
      description: When the instance was created (ISO 8601).
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import arns, connect, partitions
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            **connect.INSTANCE_OPTIONS,
            require_saml=dict(type="bool", default=False),
        ),
        mutually_exclusive=[connect.ONE_INSTANCE],
        required_one_of=[connect.ONE_INSTANCE],
        supports_check_mode=True,
    )

    def body():
        params = module.params
        partitions.partition_for_region(module.region)
        if params["instance_id"]:
            arns.validate_connect_instance_id(params["instance_id"], "instance_id")
        client = account_clients(module, module.region).client("connect")
        instance = connect.find_instance(client, module.region, params["instance_id"], params["instance_alias"])
        if params["require_saml"]:
            connect.require_saml_and_active(instance, "instance_id" if params["instance_id"] else "instance_alias")
        return dict(changed=False, instance=instance)

    run(module, body)


if __name__ == "__main__":
    main()
