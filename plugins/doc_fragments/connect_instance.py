# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The Connect instance a module works on, by id or by alias (module_utils/connect.py INSTANCE_OPTIONS).
    DOCUMENTATION = r"""
options:
  instance_id:
    description:
      - The instance id (a UUID), as shown in the Connect console and in its ARN.
      - Exactly one of O(instance_id) and O(instance_alias) is required.
    type: str
  instance_alias:
    description:
      - The instance alias (the first label of C(https://<alias>.my.connect.aws)). Matched exactly.
      - Exactly one of O(instance_id) and O(instance_alias) is required.
    type: str
"""
