#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: inventory_check
version_added: 0.3.0
short_description: Check every host's inventory for the role connect_federation at once, before any AWS call
description:
  - Reads the variables of each host of O(hosts) as that host's own tasks of the role see them (role defaults,
    inventory, play and extra variables), and returns what is wrong with each host's inventory (RV(problems)).
  - A host has a problem when its own variables lack what its entry point needs (C(connect_instance_alias) or
    C(connect_instance_id); for O(entry_point=sso_application), C(connect_instance_id) and
    C(connect_account_id)), when it is in no group and sets no C(connect_environment), or when it names the
    same IAM Identity Center application as another host of the run, or the same IAM SAML provider or IAM
    role in the same account (C(connect_federation_app_name), C(connect_federation_provider_name),
    C(connect_federation_role_name)). Each Connect instance needs its own, since two hosts sharing one would
    take turns rewriting it.
  - It runs on the controller, once for the run (C(run_once=true)), makes no AWS call and fails no host itself;
    the role hands each host its problem (the chain's O(connect_sso.federation.connect_federation#module:inventory_error)),
    or fails the host with it.
  - The names are the role's variables. Inside the role its defaults make them; in a play without the role,
    give each host C(connect_federation_app_name), C(connect_federation_provider_name),
    C(connect_federation_role_name) and C(connect_federation_environment) (see the examples). The filter
    P(connect_sso.federation.inventory_problems#filter) applies the same rule to names given as data.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  hosts:
    description: The hosts of the run, usually C(ansible_play_hosts). The order is the order of the hosts named in a message.
    type: list
    elements: str
    required: true
  entry_point:
    description:
      - The role's entry point that runs.
      - C(sso_application) does not look the instance up, so it needs C(connect_instance_id) and C(connect_account_id).
    type: str
    choices: [main, sso_application, member_federation]
    default: main
notes:
  - An action plugin that runs on the controller; it needs no connection to the hosts.
  - Supports check mode; it changes nothing.
"""

EXAMPLES = r"""
# In a play of your own, without the role: the names each host makes are given as variables (the role's
# defaults make them from connect_federation_environment and connect_region).
- name: Check every host's inventory at once
  connect_sso.federation.inventory_check:
    hosts: "{{ ansible_play_hosts }}"
  vars:
    connect_federation_environment: "{{ group_names | first }}"
    connect_federation_app_name: "Connect-{{ inventory_hostname }}"
    connect_federation_provider_name: "Connect-{{ inventory_hostname }}"
    connect_federation_role_name: "Connect-{{ inventory_hostname }}"
  run_once: true
  register: inventory

- name: Refuse a host whose inventory has a problem
  ansible.builtin.assert:
    that: inventory_hostname not in inventory.problems
    fail_msg: "{{ inventory.problems[inventory_hostname] | default('') }}"
"""

RETURN = r"""
problems:
  description: Host name -> the message naming what to fix, only for the hosts with a problem.
  returned: always
  type: dict
  sample:
    dev-east: 'connect_federation_app_name="Shared": the hosts dev-east, qa-east all name this IAM Identity Center application, ...'
"""
