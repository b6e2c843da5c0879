# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who may use an IdC application (public sso-admin API): read -> plan -> apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.connect_sso.federation.plugins.module_utils.idc import (
    App,
    Idc,
    IdcErrorHandler,
    resolve_principals,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import (
    PENDING_APP,
    Plan,
    aws_error_code,
)
from ansible_collections.connect_sso.federation.plugins.module_utils.retries import aws_retry

Assignment = Tuple[str, str]  # (principal type, principal id)


@IdcErrorHandler.common_error_handler("list application assignments")
@aws_retry
def list_assignments(idc: Idc, arn: str) -> List[Assignment]:
    pages = idc.sso.get_paginator("list_application_assignments").paginate(ApplicationArn=arn)
    return [(a["PrincipalType"], a["PrincipalId"]) for a in pages.build_full_result().get("ApplicationAssignments", [])]


def _create_assignment(idc: Idc, arn: str, principal_type: str, principal_id: str) -> None:
    """Assign; a ConflictException for an assignment that is now there (another run at once made
    it after we read them) is the state asked for, not a failure."""
    try:
        _create_assignment_call(idc, arn, principal_type, principal_id)
    except AnsibleAWSError as error:
        if aws_error_code(error) != "ConflictException" or (
            (principal_type, principal_id) not in list_assignments(idc, arn)
        ):
            raise


@IdcErrorHandler.common_error_handler("create application assignment")
@aws_retry
def _create_assignment_call(idc: Idc, arn: str, principal_type: str, principal_id: str) -> None:
    idc.sso.create_application_assignment(ApplicationArn=arn, PrincipalType=principal_type, PrincipalId=principal_id)


@IdcErrorHandler.deletion_error_handler("delete application assignment")
@aws_retry
def delete_assignment(idc: Idc, arn: str, principal_type: str, principal_id: str) -> None:
    idc.sso.delete_application_assignment(ApplicationArn=arn, PrincipalType=principal_type, PrincipalId=principal_id)


@IdcErrorHandler.common_error_handler("get application assignment configuration")
@aws_retry
def _assignment_required(idc: Idc, arn: str) -> bool:
    return idc.sso.get_application_assignment_configuration(ApplicationArn=arn)["AssignmentRequired"]


@IdcErrorHandler.common_error_handler("put application assignment configuration")
@aws_retry
def _set_assignment_required(idc: Idc, arn: str, required: bool) -> None:
    idc.sso.put_application_assignment_configuration(ApplicationArn=arn, AssignmentRequired=required)


@dataclass
class AssignmentPlan(Plan):
    add: List[Assignment] = field(default_factory=list)
    remove: List[Assignment] = field(default_factory=list)
    set_required: bool = False  # to the `required` asked for


def plan(
    current: Set[Assignment],
    wanted: Set[Assignment],
    required_now: Optional[bool],
    required: Optional[bool],
    exclusive: bool,
    present: bool,
) -> AssignmentPlan:
    """What to add and remove; `required` None leaves the assignment-required setting alone."""
    if present:
        change = AssignmentPlan(add=sorted(wanted - current), remove=sorted(current - wanted) if exclusive else [])
    else:
        change = AssignmentPlan(remove=sorted(wanted & current))
    change.set_required = required is not None and required_now != required
    return change


def apply(idc: Idc, app: App, change: AssignmentPlan, required: Optional[bool]) -> None:
    for principal_type, principal_id in change.add:
        _create_assignment(idc, app.arn, principal_type, principal_id)
    for principal_type, principal_id in change.remove:
        delete_assignment(idc, app.arn, principal_type, principal_id)
    if change.set_required:
        _set_assignment_required(idc, app.arn, required)


def ensure(
    idc: Idc,
    app: Optional[App],
    principals: List[Dict[str, Any]],
    required: Optional[bool] = None,
    exclusive: bool = False,
    present: bool = True,
    check_mode: bool = False,
    resolved: Optional[List[Dict[str, Any]]] = None,
) -> Dict[str, Any]:
    """The app's assignments as asked (names resolved before the first write), and the module's result.
    app None: in check mode, an app that an earlier task would create (nothing assigned yet).
    resolved: the principals already resolved by a caller that writes before this step (the chain)."""
    if resolved is None:
        resolved = resolve_principals(idc, principals)
    names = {(p["type"], p["id"]): p["name"] for p in resolved}

    def listing(keys) -> List[Dict[str, Any]]:
        return [{"type": t, "id": i, "name": names.get((t, i))} for t, i in sorted(keys)]

    wanted = set(names)
    if app is None:
        added = listing(wanted) if present else []
        return dict(
            changed=bool(added) or (present and required is not None),
            pending=PENDING_APP,
            assigned=added,
            added=added,
            removed=[],
            diff={"before": {"assigned": []}, "after": {"assigned": added, "pending": PENDING_APP}},
        )
    current = set(list_assignments(idc, app.arn))
    required_now = _assignment_required(idc, app.arn) if required is not None else None
    change = plan(current, wanted, required_now, required, exclusive, present)
    if change.changed and not check_mode:
        apply(idc, app, change, required)
    after = (current | set(change.add)) - set(change.remove)
    return dict(
        changed=change.changed,
        assigned=listing(after),
        added=listing(change.add),
        removed=listing(change.remove),
        diff={"before": {"assigned": listing(current)}, "after": {"assigned": listing(after)}},
    )
