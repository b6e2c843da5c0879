# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Read IAM Identity Center once per run, on the controller (see the module stub for docs).

An action plugin, like account_credentials: one task per run, no module process, and the
facts every host would otherwise read for itself (module_utils/idc.py run_facts).
"""

from __future__ import annotations

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import CREDENTIALS_SPEC, clients_for
from ansible_collections.connect_sso.federation.plugins.module_utils.console_probe import probe
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc, run_facts
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import ControllerAction

ARGUMENT_SPEC = dict(
    region=dict(type="str", required=True),
    principals=dict(type="list", elements="dict", default=[]),
    group_pages=dict(type="int", default=0),
    control_api=dict(type="bool", default=True),
    probe_console=dict(type="str", choices=["off", "read", "write"], default="off"),
    endpoint_url=dict(type="str"),
    **CREDENTIALS_SPEC,
)


class ActionModule(ControllerAction):
    NAME = "idc_facts"
    ARGUMENT_SPEC = ARGUMENT_SPEC

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        try:
            account = clients_for(args["region"], args["endpoint_url"], credentials=args)
            idc = connect_idc(account, control_api=args["control_api"])
            facts = run_facts(idc, args["principals"], args["group_pages"])
            if args["probe_console"] != "off":
                result["probe"] = probe(idc, write=args["probe_console"] == "write")
        except (AnsibleAWSError, FederationError) as error:
            # each host reads for itself and reports this with its own options
            result["warnings"] = [f"idc_facts: IAM Identity Center could not be read once for the run: {error}"]
            facts = {}
        result.update(changed=False, facts=facts)
        return result
