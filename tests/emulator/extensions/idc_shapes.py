"""Request validation as AWS's JSON services do it, driven by a botocore service model.

AWS checks every input member against the service model before an operation runs: required
members, string lengths and patterns, enums, list sizes, integer ranges. Violations come back
as one ValidationException in Coral's words ("1 validation error detected: Value 'x' at
'name' failed to satisfy constraint: Member must have length less than or equal to 100"),
a member of the wrong JSON type as a SerializationException. moto checks none of this, so the
emulator does it here, for sso-admin, identitystore and the IdC control API.
"""

from __future__ import annotations

import json
import re

from botocore.model import OperationModel, Shape

from ..awserrors import AWSError

try:  # AWS's patterns use \p{L} and friends, which `re` lacks; `regex` (a moto[server] dependency) has them
    import regex as _unicode_re
except ImportError:  # pragma: no cover - then such patterns go unchecked
    _unicode_re = None

MAX_REPORTED = 10  # Coral lists at most this many violations in one message (inferred)
_compiled: dict[str, object] = {}


def _pattern(pattern: str):
    """The compiled pattern, or None when it cannot be checked here."""
    if pattern not in _compiled:
        if _unicode_re is not None:
            _compiled[pattern] = _unicode_re.compile(pattern)
        else:
            _compiled[pattern] = None if "\\p{" in pattern else re.compile(pattern)
    return _compiled[pattern]


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return f"'{json.dumps(value, separators=(',', ':'))}'"


def serialization_error(message: str) -> AWSError:
    return AWSError("SerializationException", message)


def validation_error(problems: list[str]) -> AWSError:
    count = len(problems)
    noun = "error" if count == 1 else "errors"
    return AWSError("ValidationException", f"{count} validation {noun} detected: " + "; ".join(problems[:MAX_REPORTED]))


def parse_body(body: bytes | str) -> dict:
    """A JSON 1.1 request body as a dict; SerializationException if it is not a JSON object."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if not body.strip():
        return {}
    try:
        payload = json.loads(body)
    except ValueError:
        raise serialization_error("Start of structure or map found where not expected.") from None
    if not isinstance(payload, dict):
        raise serialization_error("Start of structure or map found where not expected.")
    return payload


class Validator:
    """Checks one request against its operation's input shape.

    strict_types: a member of the wrong JSON type is a ValidationException (True) or a
    SerializationException as Coral's JSON protocol says (False).
    reject_unknown: members the model does not know are an error (True) or ignored (False).
    """

    def __init__(self, strict_types: bool = False, reject_unknown: bool = False) -> None:
        self.strict_types = strict_types
        self.reject_unknown = reject_unknown

    def validate(self, operation: OperationModel, params: dict) -> None:
        problems: list[str] = []
        if operation.input_shape is not None:
            self._structure(operation.input_shape, params, "", problems)
        if problems:
            raise validation_error(problems)

    # --- one shape ------------------------------------------------------------------------------
    def _wrong_type(self, path: str, value: object, expected: str) -> None:
        message = f"Value {_show(value)} at '{path}' failed to satisfy constraint: Member must be of type {expected}"
        if self.strict_types:
            raise validation_error([message])
        raise serialization_error(f"{type(value).__name__} can not be converted to {expected} at '{path}'")

    def _check(self, shape: Shape, value: object, path: str, problems: list[str]) -> None:
        kind = shape.type_name
        if shape.metadata.get("document"):
            return  # a document member holds any JSON value
        if kind == "structure":
            if not isinstance(value, dict):
                self._wrong_type(path, value, "structure")
            self._structure(shape, value, path + ".", problems)
        elif kind == "list":
            if not isinstance(value, list):
                self._wrong_type(path, value, "list")
            self._size(shape, value, path, problems)
            for index, item in enumerate(value, start=1):
                self._check(shape.member, item, f"{path}.{index}.member", problems)
        elif kind == "map":
            if not isinstance(value, dict):
                self._wrong_type(path, value, "map")
            self._size(shape, value, path, problems)
            for key, item in value.items():
                self._check(shape.key, key, f"{path}.{key}.key", problems)
                self._check(shape.value, item, f"{path}.{key}.value", problems)
        elif kind == "string":
            if not isinstance(value, str):
                self._wrong_type(path, value, "string")
            self._string(shape, value, path, problems)
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                self._wrong_type(path, value, "integer")
            low, high = shape.metadata.get("min"), shape.metadata.get("max")
            if low is not None and value < low:
                problems.append(self._fail(value, path, f"Member must have value greater than or equal to {low}"))
            if high is not None and value > high:
                problems.append(self._fail(value, path, f"Member must have value less than or equal to {high}"))
        elif kind == "boolean":
            if not isinstance(value, bool):
                self._wrong_type(path, value, "boolean")
        elif kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, (int, float, str))):
            self._wrong_type(path, value, "timestamp")

    def _structure(self, shape: Shape, value: dict, prefix: str, problems: list[str]) -> None:
        if shape.metadata.get("union") and sum(v is not None for v in value.values()) != 1:
            where = prefix.rstrip(".") or "input"
            problems.append(f"Value at '{where}' failed to satisfy constraint: Exactly one member must be set")
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{prefix}{_camel(name)}' failed to satisfy constraint: Member must not be null"
                )
        if self.reject_unknown:
            unknown = sorted(set(value) - set(shape.members))
            for name in unknown:
                problems.append(
                    f"Value {_show(value[name])} at '{prefix}{name}' failed to satisfy constraint: Unknown member"
                )
        for name, member in shape.members.items():
            if value.get(name) is not None:
                self._check(member, value[name], prefix + _camel(name), problems)

    def _size(self, shape: Shape, value, path: str, problems: list[str]) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and len(value) < low:
            problems.append(self._fail(value, path, f"Member must have length greater than or equal to {low}"))
        if high is not None and len(value) > high:
            problems.append(self._fail(value, path, f"Member must have length less than or equal to {high}"))

    def _string(self, shape: Shape, value: str, path: str, problems: list[str]) -> None:
        if shape.enum and value not in shape.enum:
            problems.append(self._fail(value, path, f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"))
            return
        self._size(shape, value, path, problems)
        pattern = shape.metadata.get("pattern")
        compiled = _pattern(pattern) if pattern else None
        if compiled is not None and not compiled.fullmatch(value):
            problems.append(self._fail(value, path, f"Member must satisfy regular expression pattern: {pattern}"))

    @staticmethod
    def _fail(value: object, path: str, constraint: str) -> str:
        return f"Value {_show(value)} at '{path}' failed to satisfy constraint: {constraint}"
