#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_saml_users
version_added: 0.2.0
short_description: Amazon Connect users of a SAML instance, from IAM Identity Center groups
description:
  - Connect does not create users at sign-in - a user who passes IAM Identity Center and STS but has no
    Connect user whose username equals the RoleSessionName the app sends gets "Access Denied. Your account
    has been authenticated, but has not been onboarded to this application". This module creates and keeps
    those users, for one SAML instance, from the members of the IdC groups that O(access) maps to Connect profiles.
  - A user in several mapped groups gets the union of their security profiles (Connect allows 1 to 10; more
    fails, naming the user and the groups) and the routing profile, hierarchy group and phone settings of the
    first entry of O(access) they are in (list order is precedence).
  - The username is what the app sends as RoleSessionName (O(username_source)); identity is the IdC user's
    given and family name (Unicode NFC) and the IdC email as C(SecondaryEmail) (SAML instances refuse
    C(IdentityInfo.Email), docs/aws-facts.md). Every username is checked before any write against both
    Connect's SAML username rule and STS's RoleSessionName rule (a C(+) in an address is refused, naming the user).
  - Users this module creates carry C(managed-by=connect_sso.federation). A Connect user with exactly the
    username but without that tag is left alone and reported in RV(not_adopted) unless O(adopt=true).
    A Connect user whose username differs only in case is never duplicated; it is reported in RV(case_mismatches).
  - "Reads: the instance's security and routing profiles once (and its user hierarchy groups once, when an
    entry names one), its users with SearchUsers (pages of 500, with their profiles, hierarchy group and tags),
    each mapped group's members once and each member once."
  - SearchUsers answers only a user's first and last name, not C(SecondaryEmail), so the module records a
    digest of the email it wrote in the tag C(managed-by:secondary-email) and compares that - when the IdC email
    changes, the identity is written again (UpdateUserIdentityInfo). A secondary email changed by hand in Connect
    is not seen. Users made by an earlier version, without the tag, get their identity written once.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  idc_facts:
    description:
      - What M(connect_sso.federation.idc_facts) read once for the whole run; group ids it holds are not looked up again.
    type: dict
  access:
    description:
      - The IdC groups whose members get a Connect user, and what they get. List order is precedence.
      - An empty list manages nobody (with O(exclusive=true) it deletes every user this collection created).
    type: list
    elements: dict
    default: []
    suboptions:
      group:
        description: IdC group display name.
        type: str
        required: true
      security_profiles:
        description: Security profile names (1 to 10).
        type: list
        elements: str
        required: true
      routing_profile:
        description: Routing profile name.
        type: str
        required: true
      phone_type:
        description:
          - V(SOFT_PHONE) or V(DESK_PHONE). A desk phone needs the user's own number, so a user is
            never created with V(DESK_PHONE); an existing user keeps their number.
        type: str
        choices: [SOFT_PHONE, DESK_PHONE]
        default: SOFT_PHONE
      after_contact_work_time_limit:
        description: After contact work time limit, seconds (0 - none).
        type: int
        default: 0
      auto_accept:
        description: Whether calls are accepted automatically.
        type: bool
        default: false
      hierarchy_group:
        description:
          - Name of a user hierarchy group of the instance (any level) for these users, set on create and
            updated (UpdateUserHierarchy) when it differs. The group must exist, and its name must be the only
            one of its kind on the instance.
          - Omitted, the user's hierarchy group is left as it is.
        type: str
  username_source:
    description:
      - The RoleSessionName source the app sends; the Connect username is its value for each user.
        The role passes C(connect_federation_role_session_name), the same variable the app is configured with.
      - One of the IdC sources this module can read from the identity store - C(${user:email}) (the primary
        email), C(${user:preferredUsername}) (the user name), C(${user:givenName}), C(${user:familyName}) - alone
        or with literal text around them.
    type: str
    default: ${user:email}
  adopt:
    description:
      - Manage existing Connect users with exactly the desired username but without the ownership tag - bring
        them to the desired profiles and tag them C(managed-by=connect_sso.federation).
        With V(false) they are reported in RV(not_adopted) and not changed.
    type: bool
    default: false
  exclusive:
    description:
      - Delete Connect users this collection created (tagged) whose IdC user is no longer in any group of
        O(access). Users without the tag are never deleted.
      - Deleting a Connect user loses its settings and tags; contacts and metrics keep only its id, and a
        user created again later is a new user with a new id.
      - Changing O(username_source) with V(true) deletes the old users and creates new ones.
    type: bool
    default: false
extends_documentation_fragment:
  - connect_sso.federation.connect_instance
  - connect_sso.federation.idc
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Agents and supervisors of prod us-west-2 have Connect users
  connect_sso.federation.connect_saml_users:
    region: us-west-2
    instance_alias: acme-prod-west
    idc:
      region: us-east-1
      access_key: "{{ idc_creds.access_key }}"
      secret_key: "{{ idc_creds.secret_key }}"
      session_token: "{{ idc_creds.session_token }}"
    access:
      - {group: connect-prod-admins, security_profiles: [Admin], routing_profile: Basic Routing Profile}
      - group: connect-prod-agents
        security_profiles: [Agent]
        routing_profile: Basic Routing Profile
    exclusive: true
"""

RETURN = r"""
instance_id:
  description: The instance's id.
  returned: always
  type: str
created:
  description: How many Connect users were (or in check mode would be) created.
  returned: always
  type: int
updated:
  description: How many were updated (profiles, hierarchy group, identity, phone settings or adopted).
  returned: always
  type: int
deleted:
  description: How many were deleted (O(exclusive=true) only).
  returned: always
  type: int
unchanged:
  description: How many managed users were already as desired.
  returned: always
  type: int
users:
  description: Username -> C(created), C(updated) or C(deleted), for every user changed.
  returned: always
  type: dict
case_mismatches:
  description: Desired usernames for which Connect has a user whose username differs only in case; not created.
  returned: always
  type: list
  elements: dict
  contains:
    username:
      description: What IdC sends as RoleSessionName.
      type: str
    connect_username:
      description: The Connect user's username.
      type: str
    fix:
      description: How to fix it.
      type: str
not_adopted:
  description: Existing Connect users with a desired username but without the ownership tag (O(adopt=false)); not changed.
  returned: always
  type: list
  elements: dict
  contains:
    username:
      description: The username.
      type: str
    reason:
      description: Why it was not changed.
      type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import connect_users
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import IDC_SPEC, account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.connect import (
    INSTANCE_OPTIONS,
    ONE_INSTANCE,
    find_instance,
    require_saml_and_active,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import connect_idc
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            **INSTANCE_OPTIONS,
            idc=IDC_SPEC,
            idc_facts=dict(type="dict"),
            access=connect_users.ACCESS_SPEC,
            username_source=dict(type="str", default="${user:email}"),
            adopt=dict(type="bool", default=False),
            exclusive=dict(type="bool", default=False),
        ),
        mutually_exclusive=[ONE_INSTANCE],
        required_one_of=[ONE_INSTANCE],
        supports_check_mode=True,
    )

    def body():
        params = module.params
        connect_users.validate(params["access"], params["username_source"])
        member = account_clients(module, module.region)
        client = member.client("connect")
        option = "instance_id" if params["instance_id"] else "instance_alias"
        instance = find_instance(client, module.region, params["instance_id"], params["instance_alias"])
        require_saml_and_active(instance, option)
        idc_account = account_clients(module, params["idc"]["region"], params["idc"])
        idc = connect_idc(idc_account, control_api=False, facts=params["idc_facts"])
        return connect_users.ensure(
            client,
            idc,
            instance,
            params["access"],
            params["username_source"],
            adopt=params["adopt"],
            exclusive=params["exclusive"],
            check_mode=module.check_mode,
            with_diff=module._diff,
        )

    run(module, body)


if __name__ == "__main__":
    main()
