# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write a run's compliance reports once, on the controller (see the module stub for docs).

It only gathers each host's registered chain result from hostvars (failed hosts keep theirs) and
writes the files; the report itself is built by module_utils/reports.py.
"""

from __future__ import annotations

import os

from ansible_collections.connect_sso.federation.plugins.module_utils import reports
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import (
    ControllerAction,
    gather,
    generated_now,
    write_all,
)

ARGUMENT_SPEC = dict(
    dest=dict(type="path", required=True),
    hosts=dict(type="list", elements="str", required=True),
    result_var=dict(type="str", default="connect_federation_result"),
)
FILES = {
    "compliance.xml": reports.junit_xml,
    "compliance.json": reports.json_text,
    "compliance.md": reports.markdown,
}


class ActionModule(ControllerAction):
    NAME = "compliance_report"
    ARGUMENT_SPEC = ARGUMENT_SPEC
    NEEDS_BOTO3 = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        results = gather(self.NAME, (task_vars or {}).get("hostvars", {}), args["hosts"], args["result_var"])
        report = reports.build(results, check_mode=bool(self._task.check_mode), generated=generated_now())
        texts = {os.path.join(args["dest"], name): render(report) for name, render in FILES.items()}
        files = write_all(self.NAME, args["dest"], texts)
        # the report describes the instances; writing it changes none of them
        result.update(changed=False, files=files, summary=report["summary"], stats=reports.stats(report))
        return result
