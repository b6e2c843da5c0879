# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the connect_federation module in the controller's worker process for local hosts (see plugin_utils/in_process.py)."""

from __future__ import annotations

from ansible_collections.connect_sso.federation.plugins.plugin_utils.in_process import InProcessModuleAction

try:
    from ansible_collections.connect_sso.federation.plugins.modules.connect_federation import main
except ImportError:  # e.g. no boto3 for the controller's Python: run the module the usual way
    main = None


class ActionModule(InProcessModuleAction):
    MODULE = "connect_sso.federation.connect_federation"
    MAIN = staticmethod(main) if main else None
