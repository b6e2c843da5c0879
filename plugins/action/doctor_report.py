# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write the federation doctor's report once, on the controller (see the module stub for docs).

It only gathers each host's registered connect_federation_check result from hostvars (failed
hosts keep theirs) and writes the files; the report itself is built by module_utils/doctor_report.py.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from ansible.errors import AnsibleActionFail
from ansible_collections.connect_sso.federation.plugins.module_utils import doctor_report
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import (
    ControllerAction,
    gather,
    write,
)

ARGUMENT_SPEC = dict(
    dest=dict(type="path", default="doctor-report.json"),
    hosts=dict(type="list", elements="str", required=True),
    result_var=dict(type="str", default="connect_federation_doctor_result"),
)


class ActionModule(ControllerAction):
    NAME = "doctor_report"
    ARGUMENT_SPEC = ARGUMENT_SPEC
    NEEDS_BOTO3 = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        results = gather(self.NAME, (task_vars or {}).get("hostvars", {}), args["hosts"], args["result_var"])
        generated = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        report = doctor_report.build(results, generated=generated)
        dest = os.path.abspath(args["dest"])
        markdown = os.path.splitext(dest)[0] + ".md"
        try:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            files = [
                write(os.path.dirname(dest), os.path.basename(dest), doctor_report.json_text(report)),
                write(os.path.dirname(markdown), os.path.basename(markdown), doctor_report.markdown(report)),
            ]
        except OSError as error:
            raise AnsibleActionFail(f"doctor_report: dest={args['dest']!r}: cannot write the report: {error}") from None
        # the report describes the instances; writing it changes none of them
        result.update(changed=False, files=files, summary=report["summary"], table=doctor_report.table(report))
        return result
