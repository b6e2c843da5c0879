#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: idc_facts
version_added: 0.2.0
short_description: Read what every host of a run needs from IAM Identity Center, once
description:
  - Reads, once and on the controller, what every Connect instance of a run would otherwise read from IAM
    Identity Center for itself - the IdC instance of O(region), its custom SAML applications, and the ids of
    groups (O(group_pages)) and of the users and groups named in O(principals) - and returns it as RV(facts) for
    M(connect_sso.federation.connect_federation)'s O(connect_sso.federation.connect_federation#module:idc_facts).
  - Run it once per play (C(run_once=true)). Over 200 instances that is a handful of calls instead of a few
    hundred.
  - Reads only; it changes nothing and runs the same in check mode.
  - When IdC cannot be read (no instance in the region, no permission, ...), it warns and returns empty
    facts; each host then reads for itself and reports the error with its own options.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  region:
    description: The IdC home region.
    type: str
    required: true
  principals:
    description:
      - Users and groups whose ids to look up, in the form of O(connect_sso.federation.connect_federation#module:principals)
        (C(type) and C(name); entries given by C(id) need no look-up), for example every play host's principals.
      - A name that does not exist is left out; the host that names it reports it.
    type: list
    elements: dict
    default: []
  group_pages:
    description:
      - Also list the identity store's groups, at most this many pages of 100, and hold the id of every group found.
        Then a group of O(principals) needs no look-up of its own, and the hosts need none when they name groups only.
      - The role M(connect_sso.federation.connect_federation) passes the number of play hosts, each of which would
        otherwise look up at least one name itself, so listing costs no more calls than it saves.
      - V(0) lists nothing.
    type: int
    default: 0
  control_api:
    description:
      - Also read every app's settings through the IdC console API (ListApplicationInstances), so no host reads its
        own app's again. Without the permission for it, each host reads its own app as it would anyway.
      - As O(connect_sso.federation.connect_federation#module:control_api); V(false) makes no console API call.
    type: bool
    default: true
  probe_console:
    description:
      - Also settle what this organisation's console API does, for the facts the collection infers about it
        (module_utils/console_facts.py, docs/aws-facts.md), in RV(probe). The federation doctor uses it.
      - V(read) reads only. V(write) also makes a temporary app (C(connect-sso-probe-<hex>)), writes its settings,
        reads them back and deletes it, also when it fails midway; needs docs/iam/doctor-probe-writes-policy.json.
    type: str
    choices: ['off', read, write]
    default: 'off'
  access_key:
    description: Access key id for the IdC account; the ambient credentials when no key or profile is given.
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
  endpoint_url:
    description: AWS endpoint; C(AWS_ENDPOINT_URL) applies when omitted.
    type: str
notes:
  - Runs on the controller (action plugin); needs boto3 there.
"""

EXAMPLES = r"""
- name: Assume each account's role once for this run
  connect_sso.federation.account_credentials:
    hosts: "{{ ansible_play_hosts_all }}"
    region: us-east-1
  run_once: true
  register: accounts

- name: Read IAM Identity Center once for this run
  connect_sso.federation.idc_facts:
    region: us-east-1
    principals: [{type: GROUP, name: connect-prod-agents}]
    access_key: "{{ accounts.hosts[inventory_hostname].idc.access_key | default(omit) }}"
    secret_key: "{{ accounts.hosts[inventory_hostname].idc.secret_key | default(omit) }}"
    session_token: "{{ accounts.hosts[inventory_hostname].idc.session_token | default(omit) }}"
  run_once: true
  register: idc

- name: Each host's chain reads none of it again
  connect_sso.federation.connect_federation:
    idc: "{{ accounts.hosts[inventory_hostname].idc | combine({'region': 'us-east-1'}) }}"
    idc_facts: "{{ idc.facts }}"
    region: "{{ connect_region }}"
    instance_alias: "{{ connect_instance_alias }}"
    app_name: "Amazon Connect {{ inventory_hostname }}"
    provider_name: "IdC-{{ inventory_hostname }}"
    role_name: "ConnectFederation-{{ inventory_hostname }}"
  module_defaults:
    group/connect_sso.federation.aws: "{{ accounts.hosts[inventory_hostname].member }}"
"""

RETURN = r"""
probe:
  description: What the console API was found to do, per inferred fact (C(fact), C(assumed), C(observed), C(agrees), C(how)).
  returned: when O(probe_console) is not V(off)
  type: dict
facts:
  description: What the hosts share, for O(connect_sso.federation.connect_federation#module:idc_facts); empty when IdC could not be read.
  returned: always
  type: dict
  contains:
    version:
      description: The shape of this answer (a module given another shape reads for itself).
      type: int
    region:
      description: The IdC region read.
      type: str
    instance_arn:
      description: The IdC instance.
      type: str
    identity_store_id:
      description: Its identity store.
      type: str
    owner_account:
      description: The account that owns the IdC instance.
      type: str
    apps:
      description:
        - The custom SAML applications (arn, name, description, status), and C(config), the app's settings as the
          console API shows them (null when they were not read).
      type: list
      elements: dict
    principal_ids:
      description: C(TYPE:name) to the principal's id, for the names found.
      type: dict
  sample:
    version: 1
    region: us-east-1
    instance_arn: arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6
    identity_store_id: d-9067a1b2c3
    owner_account: "111111111111"
    apps: [{arn: "arn:aws:sso::111111111111:application/ssoins-7223a1b2c3d4e5f6/apl-1a2b3c4d5e6f7a8b",
            name: Amazon Connect prod-west, description: "", status: ENABLED, config: null}]
    principal_ids: {"GROUP:connect-prod-agents": 9067a1b2c3-1111-2222-3333-444455556666}
"""
