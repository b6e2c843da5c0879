# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Exception types shared by every module_utils file of this collection.

Modules turn these into ``fail_json`` messages; nothing below them catches botocore errors
except to wrap them here, so a user never sees a traceback.
"""

from __future__ import annotations


class FederationError(Exception):
    """Any failure this collection reports to the user in its own words."""


class ValidationError(FederationError):
    """A bad input, found before any write.

    The message always names the option, the bad value and the rule it breaks, e.g.
    ``provider_arns[0]='arn:aws-cn:iam::1:saml-provider/x': must be in partition aws (the region's)``.
    """

    def __init__(self, option: str, value: object, rule: str) -> None:
        self.option = option
        self.value = value
        self.rule = rule
        super().__init__(f"{option}={value!r}: {rule}")
