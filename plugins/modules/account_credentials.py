#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: account_credentials
version_added: 0.1.0
short_description: Assume each account's role once for the whole run
description:
  - Calls C(sts:AssumeRole) once for every distinct role in O(role_arns), in parallel, on the
    controller, and returns temporary credentials keyed by role ARN, for later tasks to pass to
    modules through C(module_defaults).
  - Run it once per play (C(run_once=true)) over the accounts of all play hosts - one task per run, whatever
    the number of hosts, where a C(sts_assume_role) task per host would start a module process
    and an STS call for every host.
  - Accounts given by profile (O(profiles)) are passed through; no call is made for them.
  - With O(hosts), it also returns, for each of those hosts, the AWS options its modules use in each
    of its accounts (RV(hosts)), read from the host's inventory variables - the member account of the host's
    Connect instance (C(connect_account_role_arn), else C(connect_account_profile)) and the IAM Identity
    Center account (C(connect_sso_idc_role_arn), else C(connect_sso_idc_profile)); with neither, the ambient
    credentials. A task passes them as they are, for example as its C(module_defaults) group. The roles of
    this collection read nothing else.
  - Each distinct role is assumed once per call, however many hosts or options name it.
  - The result is marked C(no_log); the registered value keeps the credentials.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  role_arns:
    description: Roles to assume, for example C(arn:aws:iam::444444444444:role/OrganizationAccountAccessRole). Duplicates are assumed once.
    type: list
    elements: str
    default: []
  profiles:
    description: Profiles to pass through as they are (key C(profile:<name>) in RV(credentials)).
    type: list
    elements: str
    default: []
  hosts:
    description:
      - Inventory hosts (usually C(ansible_play_hosts_all)) whose accounts to assume; see RV(hosts).
      - Each host's accounts are read from its variables, templated as the host sees them. Where both a role
        and a profile are set the role wins; a blank value counts as unset.
    type: list
    elements: str
    default: []
  host_accounts:
    description:
      - Which of each host's accounts (O(hosts)) to assume - V(member), the account of the host's Connect
        instance, and V(idc), the IAM Identity Center account.
      - A pipeline allowed to act in one side only asks for that one, so the other side's roles are not assumed.
    type: list
    elements: str
    choices: [member, idc]
    default: [member, idc]
  session_name:
    description: Role session name (shows in CloudTrail).
    type: str
    default: connect-sso-federation
  duration_seconds:
    description: Lifetime of the credentials.
    type: int
    default: 3600
  region:
    description: Region of the STS endpoint to call.
    type: str
    default: us-east-1
  profile:
    description: Profile whose credentials assume the roles; the ambient credentials when omitted.
    type: str
  endpoint_url:
    description: STS endpoint; C(AWS_ENDPOINT_URL) applies when omitted.
    type: str
notes:
  - Runs on the controller (action plugin); needs boto3 there.
"""

EXAMPLES = r"""
- name: Assume every account's role once
  connect_sso.federation.account_credentials:
    role_arns:
      - arn:aws:iam::111111111111:role/OrganizationAccountAccessRole
      - arn:aws:iam::444444444444:role/OrganizationAccountAccessRole
  run_once: true
  register: aws_accounts

- name: Use them
  amazon.aws.aws_caller_info:
    access_key: "{{ aws_accounts.credentials[role].access_key }}"
    secret_key: "{{ aws_accounts.credentials[role].secret_key }}"
    session_token: "{{ aws_accounts.credentials[role].session_token }}"
  vars:
    role: arn:aws:iam::444444444444:role/OrganizationAccountAccessRole

- name: Assume the accounts of every play host once (their connect_account_role_arn, connect_sso_idc_role_arn, ...)
  connect_sso.federation.account_credentials:
    hosts: "{{ ansible_play_hosts_all }}"
  run_once: true
  register: aws_accounts

- name: Each host's modules act in the host's member account
  connect_sso.federation.connect_instance_info:
    region: "{{ connect_region }}"
    instance_alias: "{{ connect_instance_alias }}"
  module_defaults:
    group/connect_sso.federation.aws: "{{ aws_accounts.hosts[inventory_hostname].member }}"
"""

RETURN = r"""
credentials:
  description: Role ARN (or C(profile:<name>)) to the AWS options of a module (the keys, or the profile).
  returned: always
  type: dict
  contains:
    access_key:
      description: Access key id (empty for accounts given by profile, so that keys in the environment do not clash with the profile).
      type: str
    secret_key:
      description: Secret access key (empty for accounts given by profile).
      type: str
    session_token:
      description: Session token (empty for accounts given by profile).
      type: str
    profile:
      description: For accounts given by profile, the profile name.
      type: str
hosts:
  description:
    - For each host of O(hosts), for each account of O(host_accounts) (C(member), C(idc)), the AWS options of a
      module in that account - the same entry as in RV(credentials), or an empty dict for the ambient credentials.
  returned: always
  type: dict
  sample:
    prod-west:
      member: {access_key: ASIA..., secret_key: "...", session_token: "..."}
      idc: {profile: org-management, access_key: "", secret_key: "", session_token: ""}
assumed:
  description: The role ARNs assumed.
  returned: always
  type: list
  elements: str
"""
