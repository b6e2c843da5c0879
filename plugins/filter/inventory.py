# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run-wide inventory check as a filter, so the role checks every host in one run_once task
(module_utils/run_names.py). Its documentation is in inventory_problems.yml beside this file."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible_collections.connect_sso.federation.plugins.module_utils.run_names import inventory_problems


def _inventory_problems(names):
    if not isinstance(names, Mapping) or not all(isinstance(made, Mapping) for made in names.values()):
        raise AnsibleFilterError("connect_sso.federation.inventory_problems: the input is a mapping host -> names")
    return inventory_problems(names)


class FilterModule:
    def filters(self):
        return {"inventory_problems": _inventory_problems}
