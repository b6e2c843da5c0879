# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the connect_federation_check module (the doctor) in the controller's worker process for local hosts (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.plugin_utils.in_process import in_process_action

ActionModule = in_process_action(__name__)
