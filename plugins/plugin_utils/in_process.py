# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run this collection's modules inside the controller's worker process when the host is local.

Our hosts are Connect instances with `ansible_connection: local`: every module already runs on
the controller, in a new Python process that imports ansible, boto3 and botocore and loads the
AWS service models again - about a second of CPU per task per host here, far more than the AWS
calls it makes. The action plugin of each module imports the module once, in the controller
(the strategy loads action plugins before forking its workers), and runs the module's own
main() in the worker: same argument spec, same AnsibleAWSModule, same result, no new process.

Anything else (another connection, async, a different interpreter, or
`connect_sso_in_process: false`) runs the module the usual way.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import json
import os
import sys
from typing import Any, Callable, Optional

from ansible.module_utils import basic
from ansible.module_utils.common import warnings
from ansible.module_utils.common.json import Direction, get_module_encoder
from ansible.plugins.action import ActionBase

PROFILE = "legacy"  # the plain-JSON serialisation profile modules use with the controller


class InProcessModuleAction(ActionBase):
    """Subclasses set MODULE (the FQCN) and MAIN (the module's main function, or None when its import failed)."""

    MODULE: str = ""
    MAIN: Optional[Callable[[], Any]] = None
    _supports_check_mode = True
    _supports_async = True

    def _in_process(self, task_vars: dict) -> bool:
        interpreter = self._templar.template(task_vars.get("ansible_python_interpreter") or sys.executable)
        return (
            self.MAIN is not None
            and self._connection.transport in ("local", "ansible.builtin.local")
            and not self._task.async_val
            and str(task_vars.get("connect_sso_in_process", True)).lower() not in ("false", "no", "0")
            and os.path.realpath(str(interpreter)) == os.path.realpath(sys.executable)
        )

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        if not self._in_process(task_vars):
            result.update(
                self._execute_module(
                    module_name=self.MODULE,
                    module_args=self._task.args,
                    task_vars=task_vars,
                    wrap_async=self._task.async_val,
                )
            )
            return result
        args = dict(self._task.args)
        self._update_module_args(self.MODULE, args, task_vars)
        output = call_main(self.MAIN, args)
        result.update(self._parse_returned_data({"stdout": output, "stderr": "", "rc": 0}, PROFILE))
        return result


def call_main(main: Callable[[], Any], args: dict) -> str:
    """Run a module's main() in this process with these arguments; return what it printed (its
    JSON result), as a module process would. The tests run modules through this too."""
    encoder = get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE)
    output = io.StringIO()
    previous = basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE
    basic._ANSIBLE_ARGS = json.dumps({"ANSIBLE_MODULE_ARGS": args}, cls=encoder).encode()
    basic._ANSIBLE_PROFILE = PROFILE
    # A module process starts with no warnings; a forked worker too, but a process that runs
    # several modules would carry one module's warnings into the next one's result.
    warnings._global_warnings.clear()
    warnings._global_deprecations.clear()
    try:
        with contextlib.redirect_stdout(output):
            try:
                main()
            except SystemExit:
                pass  # exit_json / fail_json end the module this way
    finally:
        basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE = previous
    return output.getvalue()


def in_process_action(action_plugin: str) -> type:
    """The action plugin of the module of the same name: `ActionModule = in_process_action(__name__)`.

    The module is imported here, when the strategy loads the action plugin in the controller,
    before its workers fork; without boto3 for the controller's Python the import fails and
    the module runs the usual way."""
    name = action_plugin.rsplit(".", 1)[-1]
    try:
        main = importlib.import_module(f"ansible_collections.connect_sso.federation.plugins.modules.{name}").main
        _warm_once()
    except ImportError:
        main = None
    attributes = {"MODULE": f"connect_sso.federation.{name}", "MAIN": staticmethod(main) if main else None}
    return type("ActionModule", (InProcessModuleAction,), attributes)


@functools.lru_cache(maxsize=None)
def _warm_once() -> None:
    """Parse the AWS service models and load the CA certificates once in the controller, before
    the workers fork: every worker then starts with them, instead of each module run doing it again."""
    from ansible_collections.connect_sso.federation.plugins.module_utils.clients import warm
    from ansible_collections.connect_sso.federation.plugins.module_utils.saml_metadata import tls_context

    warm()
    tls_context()
