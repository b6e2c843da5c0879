# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write the federation doctor's report once, on the controller (see the module stub for docs).

It only gathers each host's registered connect_federation_check result from hostvars (failed
hosts keep theirs) and writes the files; the report itself is built by module_utils/doctor_report.py.
"""

from __future__ import annotations

import os

from ansible_collections.connect_sso.federation.plugins.module_utils import doctor_report
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import (
    ControllerAction,
    gather,
    generated_now,
    write_all,
)

ARGUMENT_SPEC = dict(
    dest=dict(type="path", default="doctor-report.json"),
    hosts=dict(type="list", elements="str", required=True),
    result_var=dict(type="str", default="connect_federation_doctor_result"),
    facts=dict(type="dict"),
)


class ActionModule(ControllerAction):
    NAME = "doctor_report"
    ARGUMENT_SPEC = ARGUMENT_SPEC
    NEEDS_BOTO3 = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        results = gather(self.NAME, (task_vars or {}).get("hostvars", {}), args["hosts"], args["result_var"])
        report = doctor_report.build(results, generated=generated_now())
        if args["facts"]:
            report["facts"] = args["facts"]
        json_path = os.path.abspath(args["dest"])
        texts = {
            json_path: doctor_report.json_text(report),
            os.path.splitext(json_path)[0] + ".md": doctor_report.markdown(report),
        }
        files = write_all(self.NAME, args["dest"], texts)
        # the report describes the instances; writing it changes none of them
        result.update(changed=False, files=files, summary=report["summary"], table=doctor_report.table(report))
        return result
