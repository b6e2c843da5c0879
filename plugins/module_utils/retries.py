# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one retry policy of the collection, for every remote call it makes: the AWS APIs (boto3),
the IdC console API and the app's metadata URL.

Throttling, server errors and dropped connections are retried with a jittered exponential
backoff (amazon.aws's AWSRetry machinery), at most ATTEMPTS times, never longer than MAX_DELAY
between attempts; anything else fails at once. botocore's own retries run inside each attempt.
"""

from __future__ import annotations

from http.client import HTTPException
from urllib.error import HTTPError, URLError

from ansible_collections.amazon.aws.plugins.module_utils.cloud import CloudRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

ATTEMPTS = 8
FIRST_DELAY, MAX_DELAY = 1, 20  # seconds

# What AWS answers for throttling and server trouble beyond the codes AWSRetry already knows
# (sso-admin, identitystore and the console API say ThrottlingException; Connect says TooManyRequests...).
AWS_RETRY_CODES = [
    "ThrottlingException",
    "InternalServerException",
    "ServiceUnavailableException",
    "ServiceUnavailable",
    "InternalFailure",
    "ServiceFailure",  # IAM's 500 (CreateRole, PutRolePolicy, CreateSAMLProvider...)
]

aws_retry = AWSRetry.jittered_backoff(
    retries=ATTEMPTS, delay=FIRST_DELAY, max_delay=MAX_DELAY, catch_extra_error_codes=AWS_RETRY_CODES
)


class UrlRetry(CloudRetry):
    """The same backoff for plain HTTPS reads (the metadata URL): 429, 5xx, resets and timeouts.
    A name that does not resolve, a port where nothing listens (connection refused) or a
    certificate that does not verify fails at once: waiting does not change them."""

    base_class = (URLError, HTTPException, OSError)
    RETRY_STATUS = (429, 500, 502, 503, 504)
    TRANSIENT = (ConnectionError, TimeoutError, HTTPException)

    @staticmethod
    def status_code_from_exception(error):
        if isinstance(error, HTTPError):
            return error.code
        reason = error.reason if isinstance(error, URLError) else error
        if isinstance(reason, ConnectionRefusedError):
            return "permanent"
        return "transient" if isinstance(reason, UrlRetry.TRANSIENT) else "permanent"

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code in UrlRetry.RETRY_STATUS or response_code == "transient"


url_retry = UrlRetry.jittered_backoff(retries=ATTEMPTS, delay=FIRST_DELAY, max_delay=MAX_DELAY)
