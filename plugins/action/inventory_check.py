# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check the inventory of every host of the run at once, before any AWS call (see the module stub for docs).

An action plugin run once per play: it reads each host's variables as that host's own tasks see them
(role defaults included, which `hostvars` leaves out), so a run pays for one task, not a set_fact per
host (docs/architecture.md, "Speed"). The rules are module_utils/run_names.py's.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Optional

from ansible.errors import AnsibleActionFail, AnsibleError
from ansible_collections.connect_sso.federation.plugins.module_utils.run_names import host_names, inventory_problems
from ansible_collections.connect_sso.federation.plugins.plugin_utils.controller_action import ControllerAction

ARGUMENT_SPEC = dict(
    hosts=dict(type="list", elements="str", required=True),
    entry_point=dict(type="str", default="main", choices=["main", "sso_application", "member_federation"]),
)


class ActionModule(ControllerAction):
    NAME = "inventory_check"
    ARGUMENT_SPEC = ARGUMENT_SPEC
    NEEDS_BOTO3 = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self.validated_args()
        names = {host: self._host_names(host, args["entry_point"]) for host in args["hosts"]}
        result.update(changed=False, problems=inventory_problems(names))
        return result

    def _host_names(self, host: str, entry_point: str) -> Dict[str, Any]:
        variables = self._variables_of(host)
        templar = self._templar.copy_with_new_env(available_variables=variables)

        @functools.lru_cache(maxsize=None)  # the rules read some variables more than once
        def value(name: str) -> Optional[Any]:
            return templar.template(variables[name]) if name in variables else None

        try:
            return host_names(host, entry_point, value)
        except AnsibleError as error:  # a name template this host cannot render: its problem, not the run's
            return {"shape": f"{host}: {error.message}"}

    def _variables_of(self, host: str) -> Dict[str, Any]:
        """The host's variables in this task's context: what the strategy gives a task of this host
        (VariableManager.get_vars with the play, the host and the task)."""
        manager = self._task.get_variable_manager()
        found = manager._inventory.get_host(host)  # the VariableManager's own inventory (no public accessor)
        if found is None:
            raise AnsibleActionFail(f"{self.NAME}: hosts: {host!r} is not a host of the inventory")
        return manager.get_vars(play=self._task.get_play(), host=found, task=self._task, include_hostvars=False)
