#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: sso_app_assignment
version_added: 0.1.0
short_description: Users and groups assigned to an IAM Identity Center application
description:
  - Assigns IAM Identity Center users and groups, given by name or id, to an application (the
    public sso-admin API), so they see it in their portal and may sign in through it.
  - Names are resolved through the identity store before any write; a name that does not
    resolve fails, naming it.
  - With O(exclusive_assignments=true), principals assigned but not listed are removed.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  assignment_required:
    description:
      - Whether only assigned principals may use the app (IdC's default is V(true)). Omit to leave it as it is.
    type: bool
  exclusive_assignments:
    description:
      - Remove assigned principals that are not in O(principals).
      - The same option as the chain module's and the roles' C(exclusive_assignments). This module adds by
        default (V(false)), as amazon.aws membership options do; the chain module and the roles default to
        V(true) because there the inventory is the complete list of who may use the app.
    type: bool
    default: false
    aliases: [exclusive]
  state:
    description: V(present) assigns O(principals); V(absent) removes their assignments.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - connect_sso.federation.app
  - connect_sso.federation.assertion.principals
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Prod agents and admins use the prod us-west-2 app, and nobody else
  connect_sso.federation.sso_app_assignment:
    region: us-east-1
    app: AmazonConnect-PROD-us-west-2
    principals:
      - {type: GROUP, name: connect-prod-agents}
      - {type: GROUP, name: connect-prod-admins}
    exclusive_assignments: true
"""

RETURN = r"""
pending:
  description: In check mode, when the application does not exist yet - why the change cannot be planned in detail.
  returned: when the application does not exist yet (check mode)
  type: str
  sample: created once the IdC application exists
assigned:
  description: The principals assigned after the run.
  returned: always
  type: list
  elements: dict
  contains:
    type:
      description: C(GROUP) or C(USER).
      type: str
    id:
      description: Identity store id.
      type: str
    name:
      description: The name given in O(principals), when it was given by name.
      type: str
added:
  description: Principals assigned by this run.
  returned: always
  type: list
  elements: dict
removed:
  description: Principals unassigned by this run.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import app_assignments
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    PRINCIPALS_SPEC,
    connect_idc,
    resolve_app,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            app=dict(type="str", required=True),
            principals=PRINCIPALS_SPEC,
            assignment_required=dict(type="bool"),
            exclusive_assignments=dict(type="bool", default=False, aliases=["exclusive"]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        supports_check_mode=True,
    )

    def body():
        params = module.params
        idc = connect_idc(account_clients(module, module.region), control_api=False)
        app = resolve_app(idc, params["app"], check_mode=module.check_mode)
        return app_assignments.ensure(
            idc,
            app,
            params["principals"],
            required=params["assignment_required"],
            exclusive=params["exclusive_assignments"],
            present=params["state"] == "present",
            check_mode=module.check_mode,
        )

    run(module, body)


if __name__ == "__main__":
    main()
