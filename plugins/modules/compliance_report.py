#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: compliance_report
version_added: 0.2.0
short_description: Write a run's compliance reports (JUnit XML, JSON, Markdown) once, on the controller
description:
  - Reads the registered result of M(connect_sso.federation.connect_federation) of every host in O(hosts) (from
    hostvars, so hosts that failed are included) and writes three files into the directory O(dest) -
    C(compliance.xml) (JUnit XML), C(compliance.json) and C(compliance.md) (a Markdown summary table).
  - One test case per host (Connect instance) and link of its chain - C(app), C(provider), C(role),
    C(attributes), C(assignments). A link that differs from the inventory in a check-mode run (drift) is a
    failure carrying the link's diff; so is every link the chain could not reach on a host that failed, carrying
    the host's message. A link a normal run repaired passes, with its diff as output.
  - Run it once per play (C(run_once=true)) after the chain, in an C(always) section so it also runs when hosts
    failed. The role M(connect_sso.federation.connect_federation) does so when
    C(connect_federation_report_dir) is set.
  - Calls no AWS API and changes no instance; it reports C(changed=false) and writes the files in check mode too.
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  dest:
    description: The directory to write the reports into; made when missing. Existing reports are replaced.
    type: path
    required: true
  hosts:
    description: The hosts to report on, in the report's order, normally C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  result_var:
    description:
      - The variable each host registered the result of M(connect_sso.federation.connect_federation) in.
      - A host without it (it failed or was skipped before the chain ran) is reported as failed on every link.
    type: str
    default: connect_federation_result
notes:
  - Runs on the controller (action plugin).
"""

EXAMPLES = r"""
# the member account's credentials from module_defaults, IdC's from a prior task (idc_creds)
- name: Federate each host's instance; in any case report on every host
  block:
    - name: Federate the Connect instance with IAM Identity Center
      connect_sso.federation.connect_federation:
        region: "{{ connect_region }}"
        instance_alias: "{{ connect_instance_alias }}"
        idc: "{{ idc_creds | combine({'region': 'us-east-1'}) }}"
        app_name: "Amazon Connect {{ inventory_hostname }}"
        provider_name: "IdC-{{ inventory_hostname }}"
        role_name: "ConnectFederation-{{ inventory_hostname }}"
        fail_on_drift: true
      register: connect_federation_result
  always:
    - name: Write the compliance reports
      connect_sso.federation.compliance_report:
        dest: "{{ playbook_dir }}/reports"
        hosts: "{{ ansible_play_hosts_all }}"
      run_once: true
      register: report

    - name: Show the summary as the job's artifacts (AWX)
      ansible.builtin.set_stats:
        data:
          connect_federation_compliance: "{{ report.stats }}"
      run_once: true
"""

RETURN = r"""
files:
  description: The files written.
  returned: success
  type: list
  elements: str
  sample: [/reports/compliance.xml, /reports/compliance.json, /reports/compliance.md]
summary:
  description: The report's summary, as in C(compliance.json).
  returned: success
  type: dict
  contains:
    hosts:
      description: How many hosts the report covers.
      type: int
    check_mode:
      description: Whether the run was a check-mode run (then a difference is drift, not a repair).
      type: bool
    ok:
      description: The hosts whose every link is as the inventory asks.
      type: list
      elements: str
    changed:
      description: The hosts a normal run repaired.
      type: list
      elements: str
    drifted:
      description: The hosts with a link that differs (check mode), and no error.
      type: list
      elements: str
    failed:
      description: The hosts that failed for another reason than drift, or have no result.
      type: list
      elements: str
    tests:
      description: Test cases (hosts times links).
      type: int
    failures:
      description: Failing test cases.
      type: int
    generated:
      description: When the report was written (UTC, ISO 8601).
      type: str
  sample:
    hosts: 5
    check_mode: true
    ok: [dev-east, prod-east, prod-west]
    changed: []
    drifted: [qa-east, qa-west]
    failed: []
    tests: 25
    failures: 2
    generated: "2026-01-01T06:00:00+00:00"
stats:
  description: The short summary for M(ansible.builtin.set_stats) - hosts, drifted, failed and failures.
  returned: success
  type: dict
  sample: {hosts: 5, drifted: [qa-east, qa-west], failed: [], failures: 2}
"""
