"""A small Python client for the emulator's admin API, and boto3 sessions into its accounts.

Used by the tests, the demo and the benchmarks; standard library only (plus boto3 for
`session`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from . import sandbox


class AdminError(RuntimeError):
    pass


@dataclass
class EmulatorClient:
    endpoint: str

    def _call(self, method: str, route: str, payload: dict | None = None) -> dict:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            f"{self.endpoint}/_emulator{route}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise AdminError(f"{method} {route}: {error.code} {error.read().decode()}") from None

    def health(self) -> dict:
        return self._call("GET", "/health")

    def reset(self, seed: object = "sandbox") -> dict:
        """Wipe everything, then seed `seed` (as seed() takes it) unless it is None."""
        return self._call("POST", "/reset", seed_payload(seed, name_key="seed") if seed else {})

    def seed(self, topology: object = "sandbox") -> dict:
        """Seed a topology: a name ("sandbox", "eu", "scale:N"), a path to a .yml (str or Path),
        a topology document (dict) or a topology.Topology."""
        return self._call("POST", "/seed", seed_payload(topology))

    def snapshot(self, name: str) -> dict:
        """Keep the emulator's whole state under `name` (faults and the request log excepted)."""
        return self._call("POST", "/snapshot", {"name": name})

    def restore(self, name: str) -> dict:
        """Reset, then bring back the state snapshotted under `name`: milliseconds, not a converge."""
        return self._call("POST", "/restore", {"name": name})

    def topology(self) -> dict:
        return self._call("GET", "/topology")

    def requests(self, since: int = 0, **filters: object) -> list[dict]:
        query = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in filters.items())
        return self._call("GET", f"/requests?since={since}&{query}")["requests"]

    def mark(self) -> int:
        """The sequence number of the last request so far; pass it as `since` later."""
        return self._call("GET", "/requests?since=999999999999")["last_seq"]

    def writes(self, since: int = 0, **filters: object) -> list[dict]:
        return self.requests(since, write=True, **filters)

    def clear_requests(self) -> int:
        return self._call("DELETE", "/requests")["cleared"]

    def add_fault(self, operation: str, kind: str, **options: object) -> dict:
        return self._call("POST", "/faults", {"operation": operation, "kind": kind, **options})

    def faults(self) -> list[dict]:
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def config(self, **changes: object) -> dict:
        return self._call("POST", "/config", changes) if changes else self._call("GET", "/config")

    def admin(self, method: str, route: str, payload: dict | None = None) -> dict:
        """Any other admin route (extensions add some, e.g. /signin)."""
        return self._call(method, route, payload)

    def session(self, account: str | None = None, region: str = "us-east-1"):
        """A boto3 session acting in `account` (AssumeRole into its access role), or the ambient one."""
        return aws_session(self.endpoint, account, region)


def seed_payload(topology: object, name_key: str = "name") -> dict:
    """The admin API's body for a topology: {name_key: name}, {"path": absolute path} or {"topology": {...}}."""
    from pathlib import Path

    from .topology import Topology

    if isinstance(topology, Topology):
        return {"topology": dict(topology.source)}
    if isinstance(topology, dict):
        return {"topology": topology}
    if isinstance(topology, Path) or (isinstance(topology, str) and topology.endswith((".yml", ".yaml"))):
        return {"path": str(Path(topology).resolve())}
    if isinstance(topology, str):
        return {name_key: topology}
    raise TypeError(f"a topology is a name, a path, a dict or a Topology, not {topology!r}")


def aws_session(endpoint: str, account: str | None = None, region: str = "us-east-1"):
    import boto3

    ambient = boto3.session.Session(
        aws_access_key_id="AKIAEMULATORAMBIENT1", aws_secret_access_key="dummy", region_name=region
    )
    if account is None:
        return ambient
    sts = ambient.client("sts", endpoint_url=endpoint)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{sandbox.ACCESS_ROLE}", RoleSessionName="emulator-tests"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


def signed_control_call(
    endpoint: str, session, operation: str, body: object, region: str = "us-east-1", signing_name: str = "sso"
) -> tuple[int, dict]:
    """POST one SWBService operation to /control/, SigV4-signed like botocore signs (for tests)."""
    import urllib.error
    import urllib.request

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    request = AWSRequest(
        method="POST",
        url=f"{endpoint}/control/",
        data=data,
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"SWBService.{operation}"},
    )
    if session is not None:
        SigV4Auth(session.get_credentials().get_frozen_credentials(), signing_name, region).add_auth(request)
    prepared = urllib.request.Request(
        request.url,
        data=request.body if isinstance(request.body, bytes) else str(request.body).encode(),
        headers=dict(request.headers),
        method="POST",
    )
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
