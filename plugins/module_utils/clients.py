# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way this collection builds AWS clients: per account and region, ONE boto3 session
and the clients made from it, with the module's AWS options (endpoint_url, validate_certs,
aws_config, ...) and, where given, another account's credentials.

AnsibleAWSModule.client makes a new session per client, and each session loads the service
models and endpoint data again; for a module that needs four clients that is a third of its
run time. Every session made here shares one botocore data loader, so a process parses each
service model once, and warm() parses them in the controller before its workers fork. The IdC
console API client (idc_control.IdcControl) signs with this same session's credentials and
calls the same host as its sso-admin client.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, Optional

try:
    import boto3
    import botocore.config
    import botocore.loaders
    import botocore.session
    from botocore.credentials import ReadOnlyCredentials
    from botocore.exceptions import BotoCoreError, NoRegionError
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.amazon.aws.plugins.module_utils.botocore import HAS_BOTO3, get_aws_connection_info
from ansible_collections.connect_sso.federation.plugins.module_utils.errors import FederationError

USER_AGENT = "APN/1.0 connect_sso.federation"
# Every AWS service this collection calls (the console API is signed as sso, see idc_control).
SERVICES = ("connect", "iam", "identitystore", "sso-admin", "sts")
# The argument spec of another account's credentials (the chain module's `idc` option).
CREDENTIALS_SPEC = dict(
    access_key=dict(type="str", no_log=True),
    secret_key=dict(type="str", no_log=True),
    session_token=dict(type="str", no_log=True),
    profile=dict(type="str"),
)
# The `idc` option of the modules that also work in the IdC account (doc fragment idc).
IDC_SPEC = dict(type="dict", required=True, options=dict(region=dict(type="str", required=True), **CREDENTIALS_SPEC))


class AccountClients:
    """Clients of one account and region, made on first use from one session."""

    def __init__(self, session: Any, region: str, endpoint: Optional[str], options: Dict[str, Any]) -> None:
        self.session = session
        self.region = region
        self.endpoint = endpoint
        self._options = options  # verify, config and explicit keys, as boto3's client() takes them
        self.verify = options.get("verify")  # certificate checks, for the console API's own HTTP session
        self._clients: Dict[str, Any] = {}

    def client(self, service: str) -> Any:
        if service not in self._clients:
            try:
                self._clients[service] = self.session.client(
                    service, region_name=self.region, endpoint_url=self.endpoint, **self._options
                )
            except NoRegionError:
                raise FederationError(
                    "a region is required and none was found in the options or the environment"
                ) from None
            except (ValueError, BotoCoreError) as error:
                raise FederationError(f"Couldn't connect to AWS: {error}") from None
        return self._clients[service]

    def frozen_credentials(self) -> Any:
        """The credentials the clients sign with (the console API signs with them too)."""
        keys = self._options
        if keys.get("aws_access_key_id"):
            return ReadOnlyCredentials(
                keys["aws_access_key_id"], keys["aws_secret_access_key"], keys.get("aws_session_token")
            )
        credentials = self.session.get_credentials()
        if credentials is None:
            raise FederationError(f"no AWS credentials found for the account in {self.region}")
        return credentials.get_frozen_credentials()


@functools.lru_cache(maxsize=None)
def _shared_loader() -> Any:
    return botocore.loaders.create_loader()


def new_session(profile_name: Optional[str] = None) -> Any:
    """A boto3 session on the process's one data loader (botocore caches what a loader parsed)."""
    loader = _shared_loader()
    core = botocore.session.Session()
    core.register_component("data_loader", loader)
    session = boto3.session.Session(botocore_session=core, profile_name=profile_name)
    core.get_scoped_config()  # a profile that does not exist fails here, as boto3's own sessions do
    # boto3 adds its own data path to the loader for every session; once is enough
    loader.search_paths[:] = list(dict.fromkeys(loader.search_paths))
    return session


@functools.lru_cache(maxsize=None)
def _keyed_session() -> Any:
    """The process's one session for clients given their keys (the roles' assumed-role credentials):
    setting a session up (its event handlers) costs more CPU than a host's AWS calls, and with
    explicit keys it holds no state of its own (no credentials, no profile) that could differ
    between hosts. Ambient credentials and profiles get a session of their own, as before."""
    return new_session()


def warm(region: str = "us-east-1") -> None:
    """Parse every service model this collection uses, once, in this process (a controller calls
    it before forking its workers, which then start with the models parsed and the keyed session
    made). Without boto3, nothing."""
    if not HAS_BOTO3:
        return
    session = _keyed_session()
    for service in SERVICES:
        session.client(service, region_name=region, aws_access_key_id="warm", aws_secret_access_key="warm")


def account_clients(module: Any, region: str, credentials: Optional[Dict[str, Any]] = None) -> AccountClients:
    """Clients for `region` with the module's AWS options; with `credentials`
    ({access_key, secret_key, session_token} or {profile}), those instead of the module's."""
    _region, endpoint, connection = get_aws_connection_info(module)
    return clients_for(region, endpoint, connection, credentials)


def clients_for(
    region: str,
    endpoint: Optional[str] = None,
    connection: Optional[Dict[str, Any]] = None,
    credentials: Optional[Dict[str, Any]] = None,
) -> AccountClients:
    """Clients for `region`: `connection` holds AWS options as amazon.aws reads them from a
    module (keys, profile_name, verify, aws_config); `credentials` replace its keys."""
    connection = connection or {}
    if credentials and credentials.get("profile"):
        keys = dict(profile_name=credentials["profile"])
    elif credentials and credentials.get("access_key"):
        keys = dict(
            aws_access_key_id=credentials["access_key"],
            aws_secret_access_key=credentials.get("secret_key"),
            aws_session_token=credentials.get("session_token"),
        )
    else:
        keys = {k: connection.get(k) for k in ("profile_name", "aws_access_key_id", "aws_secret_access_key")}
        keys["aws_session_token"] = connection.get("aws_session_token")
    config = botocore.config.Config(user_agent_extra=USER_AGENT)
    if connection.get("aws_config") is not None:
        config = config.merge(connection["aws_config"])
    options = dict(config=config, verify=connection.get("verify"))
    options.update({k: v for k, v in keys.items() if k != "profile_name"})
    try:
        keyed = keys.get("aws_access_key_id") and not keys.get("profile_name")
        session = _keyed_session() if keyed else new_session(keys.get("profile_name"))
    except BotoCoreError as error:  # e.g. a profile that does not exist
        raise FederationError(f"Couldn't connect to AWS: {error}") from None
    return AccountClients(session, region, endpoint, options)
