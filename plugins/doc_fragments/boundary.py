# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The `permissions_boundary_policy` option of the modules that make the federation role
    # (federation_role.ensure_boundary_policy).
    DOCUMENTATION = r"""
options:
  permissions_boundary_policy:
    description:
      - The managed policy to set as the role's permissions boundary, in the role's account - created, tagged
        C(managed-by), before the role (the chain's first write) when it is missing; never changed afterwards
        (the pipeline's policy in docs/iam may create it, not change it), a warning says when it differs.
      - A run that finds the role already bounded by it does not read the policy again. Ignored when the role is removed.
    type: dict
    suboptions:
      name:
        description: The policy's name.
        type: str
        default: ConnectSsoFederationRoleBoundary
      path:
        description: The policy's IAM path.
        type: str
        default: /
      document:
        description:
          - The policy document (a dict or JSON). By default the one shipped as docs/iam/federation-role-boundary.json,
            which allows only C(connect:GetFederationToken).
        type: json
"""
