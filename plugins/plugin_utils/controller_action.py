# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The base of the action plugins that run on the controller itself, once per run
(account_credentials, idc_facts, compliance_report, doctor_report): no connection, no module, arguments checked as a module's."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Mapping

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible_collections.amazon.aws.plugins.module_utils.botocore import HAS_BOTO3


class ControllerAction(ActionBase):
    """Subclasses set NAME and ARGUMENT_SPEC and read their arguments with validated_args()."""

    NAME = ""
    ARGUMENT_SPEC: Dict[str, Any] = {}
    NEEDS_BOTO3 = True  # False for the ones that call no AWS API (compliance_report)
    TRANSFERS_FILES = False
    _requires_connection = False

    def validated_args(self) -> Dict[str, Any]:
        validated = ArgumentSpecValidator(self.ARGUMENT_SPEC).validate(self._task.args)
        if validated.error_messages:
            raise AnsibleActionFail(f"{self.NAME}: " + "; ".join(validated.error_messages))
        if self.NEEDS_BOTO3 and not HAS_BOTO3:
            raise AnsibleActionFail(f"{self.NAME} needs boto3 on the controller")
        return validated.validated_parameters


# --- for the report writers (compliance_report, doctor_report) ----------------------------------


def gather(name: str, hostvars: Mapping, hosts: Iterable[str], result_var: str) -> Dict[str, Any]:
    """host -> its registered result (None when it has none), in the order of `hosts`."""
    results: Dict[str, Any] = {}
    for host in hosts:
        if host not in hostvars:
            raise AnsibleActionFail(f"{name}: hosts: {host!r} is not a host of the inventory")
        variables = hostvars[host]
        results[host] = variables.get(result_var) if result_var in variables else None
    return results


def write(directory: str, name: str, text: str) -> str:
    """Write one file whole (a reader never sees half a report)."""
    path = os.path.join(directory, name)
    handle, partial = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    return path


def generated_now() -> str:
    """The report's timestamp: now, UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def write_all(name: str, dest: str, files: Mapping[str, str]) -> List[str]:
    """Write each path -> text whole (its directory made when missing); an OSError fails the action, naming dest."""
    written = []
    try:
        for path, text in files.items():
            directory = os.path.dirname(os.path.abspath(path))
            os.makedirs(directory, exist_ok=True)
            written.append(write(directory, os.path.basename(path), text))
    except OSError as error:
        raise AnsibleActionFail(f"{name}: dest={dest!r}: cannot write the reports: {error}") from None
    return written
