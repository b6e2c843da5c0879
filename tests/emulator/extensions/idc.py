"""IAM Identity Center in the emulator: the entry points (install, seed) for

- idc_model: the IdC instance and applications, shared by everything below;
- idc_public: public sso-admin (instance, applications, providers, assignments, tags) and a
  strict identity store;
- idc_control: the console API at /control/;
- idc_metadata: the metadata pages at /saml/metadata/<token>;
- the admin route /_emulator/idc/rotate-certificate (the console's certificate rotation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import moto.identitystore.urls
import moto.ssoadmin.urls
from moto.identitystore.models import identitystore_backends

from .. import admin
from ..requestinfo import CONTROL_PATH, PORTAL_METADATA_PATH
from . import idc_model
from .idc_control import ControlApi
from .idc_metadata import metadata_page
from .idc_model import STATE, IdcInstance
from .idc_public import EmulatedSSOAdminResponse, StrictIdentityStoreResponse

if TYPE_CHECKING:
    from ..topology import Topology


def rotate_certificate(payload: dict, _request) -> dict:
    """{instance_id | application_arn, valid_days?} -> the new certificate becomes ACTIVE, the old
    INACTIVE; valid_days (default five years) of 0 or less makes one that has already expired."""
    reference = payload.get("instance_id") or payload.get("application_arn") or ""
    app = STATE.app_by_instance_id(reference) or STATE.app_by_arn(reference)
    if app is None or not app.is_saml:
        raise ValueError(f"no SAML application {reference!r}")
    old, new = app.rotate_certificate(payload.get("valid_days"))
    return {"instance_id": app.instance_id, "previous_thumbprint": old, "active_thumbprint": new}


def install(emulator) -> None:
    moto.ssoadmin.urls.url_paths["{0}/$"] = EmulatedSSOAdminResponse.dispatch
    moto.identitystore.urls.url_paths["{0}/$"] = StrictIdentityStoreResponse.dispatch
    emulator.add_route(CONTROL_PATH.rstrip("/"), ControlApi(emulator))
    emulator.add_route(PORTAL_METADATA_PATH, metadata_page)
    emulator.on_reset(idc_model.reset)
    admin.ADMIN_EXTENSIONS["/idc/rotate-certificate"] = rotate_certificate


def seed(topology: Topology) -> dict:
    """The IdC instance (in the topology's IdC account and region) and its directory: users, groups, memberships."""
    idc = topology.idc
    account, region, store_id = idc.account, idc.region, idc.identity_store_id
    STATE.instances[(account, region)] = IdcInstance(account, region, idc.instance_arn, store_id)
    store = identitystore_backends[account][region]
    group_ids = {
        name: store.create_group(store_id, name, group.description)[0] for name, group in topology.groups.items()
    }
    users, members = [], {name: [] for name in topology.groups}
    for user in topology.users:
        user_id = store.create_user(
            identity_store_id=store_id,
            user_name=user.user_name,
            name={"GivenName": user.given_name, "FamilyName": user.family_name, "Formatted": user.display_name},
            display_name=user.display_name,
            nick_name=None,
            profile_url=None,
            emails=[{"Value": user.email, "Type": "work", "Primary": True}],
            addresses=[],
            phone_numbers=[],
            user_type=None,
            title=None,
            preferred_language=None,
            locale=None,
            timezone=None,
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
            "instance_arn": idc.instance_arn,
            "identity_store_id": store_id,
            "users": users,
            "groups": [
                {
                    "name": name,
                    "group_id": group_ids[name],
                    "members": members[name],
                    "accounts": list(group.accounts),
                    "security_profiles": list(group.security_profiles),
                }
                for name, group in topology.groups.items()
            ],
        }
    }
