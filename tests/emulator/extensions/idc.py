"""IAM Identity Center in the emulator: entry point (install, seed) for the IdC model, the
public sso-admin and identity store APIs, the console control API and the metadata pages."""

from __future__ import annotations

import moto.identitystore.urls
import moto.ssoadmin.urls
from moto.identitystore.models import identitystore_backends
from werkzeug.wrappers import Request, Response

from .. import admin, sandbox
from ..awserrors import AWSError
from ..requestinfo import CONTROL_PATH, PORTAL_METADATA_PATH, RequestInfo
from . import idc_model
from .idc_control import ControlApi
from .idc_model import STATE, IdcInstance
from .idc_public import EmulatedSSOAdminResponse, StrictIdentityStoreResponse


def metadata_page(request: Request, info: RequestInfo, body: bytes) -> Response:
    """GET /saml/metadata/<token>: the app's IdP metadata, unauthenticated, as IdC serves it."""
    app = STATE.app_by_token(request.path[len(PORTAL_METADATA_PATH) :].strip("/"))
    if request.method != "GET" or app is None:
        raise AWSError("NotFound", "The requested metadata does not exist", 404)
    info.region = app.instance.region
    return Response(app.metadata(), content_type="application/samlmetadata+xml")


def _rotate_certificate(payload: dict, _request) -> dict:
    reference = payload.get("instance_id") or payload.get("application_arn") or ""
    app = STATE.app_by_instance_id(reference) or STATE.app_by_arn(reference)
    if app is None:
        raise ValueError(f"no application {reference!r}")
    old, new = app.rotate_certificate()
    return {"instance_id": app.instance_id, "previous_thumbprint": old, "active_thumbprint": new}


def install(emulator) -> None:
    moto.ssoadmin.urls.url_paths["{0}/$"] = EmulatedSSOAdminResponse.dispatch
    moto.identitystore.urls.url_paths["{0}/$"] = StrictIdentityStoreResponse.dispatch
    emulator.add_route(CONTROL_PATH.rstrip("/"), ControlApi(emulator))
    emulator.add_route(PORTAL_METADATA_PATH, metadata_page)
    emulator.on_reset(idc_model.reset)
    admin.ADMIN_EXTENSIONS["/idc/rotate-certificate"] = _rotate_certificate


def seed_sandbox() -> dict:
    account, region, store_id = sandbox.ROOT_ACCOUNT, sandbox.IDC_REGION, sandbox.IDENTITY_STORE_ID
    STATE.instances[(account, region)] = IdcInstance(account, region, sandbox.IDC_INSTANCE_ARN, store_id)
    store = identitystore_backends[account][region]
    group_ids = {
        name: store.create_group(store_id, name, description)[0] for name, description in sandbox.GROUPS.items()
    }
    users, members = [], {name: [] for name in sandbox.GROUPS}
    for user in sandbox.USERS:
        user_id = store.create_user(
            store_id,
            user.user_name,
            {"GivenName": user.given_name, "FamilyName": user.family_name, "Formatted": user.display_name},
            user.display_name,
            None,
            None,
            [{"Value": user.email, "Type": "work", "Primary": True}],
            [],
            [],
            None,
            None,
            None,
            None,
            None,
        )[0]
        for group in user.groups:
            store.create_group_membership(store_id, group_ids[group], {"UserId": user_id})
            members[group].append(user.user_name)
        users.append(
            {"user_name": user.user_name, "email": user.email, "user_id": user_id, "groups": list(user.groups)}
        )
    return {
        "idc": {
            "region": region,
            "account": account,
            "instance_arn": sandbox.IDC_INSTANCE_ARN,
            "identity_store_id": store_id,
            "users": users,
            "groups": [{"name": n, "group_id": group_ids[n], "members": members[n]} for n in sandbox.GROUPS],
        }
    }
