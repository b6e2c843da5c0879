# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Ownership of the resources a module creates, and the `force` escape hatch for `state: absent`.
    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates or updates the resource; V(absent) deletes it.
      - Resources this collection creates carry the tag C(managed-by=connect_sso.federation), whatever
        the C(tags) option says; a resource that existed before is managed but not claimed (the tag is not added).
        V(absent) refuses to delete a resource without that tag unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent), delete the resource even when it does not carry the
        C(managed-by=connect_sso.federation) tag, that is, when something else created it.
    type: bool
    default: false
"""
