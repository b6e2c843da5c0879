# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The `idc` option of the modules that act in a member account and read IAM Identity Center
    # (its spec: clients.IDC_SPEC).
    DOCUMENTATION = r"""
options:
  idc:
    description:
      - Where IAM Identity Center is, and the credentials for its account; with neither keys nor a profile,
        the module's own credentials.
    type: dict
    required: true
    suboptions:
      region:
        description: The IdC home region.
        type: str
        required: true
      access_key:
        description: Access key id for the IdC account.
        type: str
      secret_key:
        description: Secret access key for the IdC account.
        type: str
      session_token:
        description: Session token for the IdC account.
        type: str
      profile:
        description: Profile for the IdC account, instead of keys.
        type: str
"""
