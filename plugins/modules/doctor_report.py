#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: doctor_report
version_added: 0.2.0
short_description: Write the federation doctor's report (JSON and Markdown) once, on the controller
description:
  - Reads the registered result of M(connect_sso.federation.connect_federation_check) of every host in O(hosts) (from
    hostvars, so hosts that failed are included) and writes O(dest) (JSON) and, beside it, the same name ending in
    C(.md) (a Markdown summary with every finding and its fix). Each host's entry is
    C({instance_id, ok, broken_link, findings}); a host without a result is reported with C(error).
  - Returns the short table the playbook C(doctor.yml) prints, one line per host.
  - Run it once per play (C(run_once=true)) after the doctor, in an C(always) section so it also runs when hosts
    failed. The role M(connect_sso.federation.connect_federation)'s C(doctor) entry point does so.
  - Calls no AWS API and changes no instance; it reports C(changed=false) and writes the files in check mode too.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  dest:
    description: The JSON report's path on the controller (a relative path is taken from the current directory); replaced when it exists.
    type: path
    default: doctor-report.json
  hosts:
    description: The hosts to report on, in the report's order, normally C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  facts:
    description:
      - The console-API facts probe of the run, reported under C(facts)
        (M(connect_sso.federation.idc_facts)'s RV(connect_sso.federation.idc_facts#module:probe)).
    type: dict
  result_var:
    description: The variable each host registered the result of M(connect_sso.federation.connect_federation_check) in.
    type: str
    default: connect_federation_doctor_result
notes:
  - Runs on the controller (action plugin).
"""

EXAMPLES = r"""
- name: Diagnose each host's instance; in any case report on every host
  block:
    - name: Diagnose the sign-in chain
      connect_sso.federation.connect_federation_check:
        region: "{{ connect_region }}"
        instance_alias: "{{ connect_instance_alias }}"
        idc:
          region: us-east-1
          access_key: "{{ idc_creds.access_key }}"
          secret_key: "{{ idc_creds.secret_key }}"
          session_token: "{{ idc_creds.session_token }}"
        app_name: "Amazon Connect {{ inventory_hostname }}"
        provider_name: "IdC-{{ inventory_hostname }}"
        role_name: "ConnectFederation-{{ inventory_hostname }}"
        fail_on_error: false  # report every host; drop it to fail hosts with a broken link (exit code 2)
      register: connect_federation_doctor_result
  always:
    - name: Write the doctor's report
      connect_sso.federation.doctor_report:
        dest: "{{ playbook_dir }}/doctor-report.json"
        hosts: "{{ ansible_play_hosts_all }}"
      run_once: true
      register: report

    - name: Print the table
      ansible.builtin.debug:
        msg: "{{ report.table }}"
      run_once: true
"""

RETURN = r"""
files:
  description: The files written (the JSON report and the Markdown summary).
  returned: success
  type: list
  elements: str
  sample: [/srv/ops/doctor-report.json, /srv/ops/doctor-report.md]
summary:
  description: How many hosts, which are ok, which link broke on which host, which could not be diagnosed, how many warnings.
  returned: success
  type: dict
  sample: {hosts: 2, ok: [qa-east], broken: {qa-west: relay_state}, failed: [], warnings: 0}
table:
  description: One line per host (host, instance, status, what users see), with a header line.
  returned: success
  type: list
  elements: str
"""
