#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: connect_saml_idp
version_added: 0.1.0
short_description: IAM SAML identity provider holding an IAM Identity Center app's metadata
description:
  - Creates, updates or deletes the IAM SAML provider that AWS sign-in uses to check the
    assertions of one IAM Identity Center application (one per Amazon Connect instance).
  - The metadata is checked as IAM checks it before any call (size, byte order mark, XML,
    no DOCTYPE or entities, an IDPSSODescriptor with a signing certificate of at least 1024
    bits that has not expired), so a bad document fails with a clear message, not an IAM error.
  - The provider is updated only when the metadata means something different (issuer, sign-in
    endpoints, signing certificates), never for whitespace, attribute order or prefixes. A
    certificate rotation in IdC therefore shows up as one update, with both fingerprints in the diff.
  - Warns when a signing certificate expires within 90 days.
  - In check mode, when the provider does not exist yet, RV(arn) is the ARN it will have
    (account from STS GetCallerIdentity, partition from O(region)), so a later task can use it.
  - IAM is global, but O(region) is required and checked, since it names the partition of the provider's ARN.
requirements:
  - defusedxml
  - cryptography
notes:
  - O(tags) are checked before any write, as IAM checks them - no key starting with C(aws:) in any case,
    keys of 1 to 128 characters, values of at most 256, at most 49 tags (IAM allows 50 and the C(managed-by) tag is added).
author:
  - connect_sso.federation maintainers (@connect-sso-federation)
options:
  name:
    description:
      - Name of the IAM SAML provider, 1 to 128 characters from letters, digits and C(._-).
      - The roles of this collection name it, by default, C(AWSSSO_<ENV>_<region>_Connect).
    type: str
    required: true
  metadata:
    description:
      - The SAML metadata document itself.
      - With O(state=present), exactly one of O(metadata), O(metadata_path) and O(metadata_url) is required.
    type: str
  metadata_path:
    description:
      - Path to a file holding the metadata (UTF-8, without byte order mark).
    type: path
  metadata_url:
    description:
      - URL to fetch the metadata from, typically the app's IdC metadata URL
        (C(https://portal.sso.<region>.amazonaws.com/saml/metadata/...)), which needs no credentials.
      - https only (plain http only on loopback). Throttling, server errors and dropped connections are retried
        with a bounded, jittered backoff; redirects are followed only on the same host over https; an answer
        over 1 MiB is refused.
    type: str
extends_documentation_fragment:
  - connect_sso.federation.ownership
  - amazon.aws.tags
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create or update the provider from the IdC app's metadata URL
  connect_sso.federation.connect_saml_idp:
    name: AWSSSO_PROD_us-west-2_Connect
    metadata_url: "{{ app.metadata_url }}"
    tags:
      environment: prod

- name: Same, from a document the IdC module returned
  connect_sso.federation.connect_saml_idp:
    name: AWSSSO_PROD_us-west-2_Connect
    metadata: "{{ app.metadata }}"

- name: Remove it (only if this collection created it)
  connect_sso.federation.connect_saml_idp:
    name: AWSSSO_PROD_us-west-2_Connect
    state: absent
"""

RETURN = r"""
arn:
  description: ARN of the provider (in check mode, the ARN it will have; null after O(state=absent)).
  returned: always
  type: str
  sample: arn:aws:iam::444444444444:saml-provider/AWSSSO_PROD_us-west-2_Connect
entity_id:
  description: The IdP entity id (issuer) in the metadata.
  returned: when state is present
  type: str
  sample: https://portal.sso.us-east-1.amazonaws.com/saml/assertion/NDQ0...
certificates:
  description: The signing certificates in the metadata.
  returned: when state is present
  type: list
  elements: dict
  contains:
    sha256_fingerprint:
      description: SHA-256 fingerprint, upper-case hex pairs joined by colons.
      type: str
    not_after:
      description: Expiry, ISO 8601 UTC.
      type: str
      sample: "2031-11-24T19:22:12Z"
    subject:
      description: Certificate subject (RFC 4514).
      type: str
valid_until:
  description: The provider's ValidUntil as IAM reports it (null when unknown, for example in check mode before creation).
  returned: always
  type: str
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.connect_sso.federation.plugins.module_utils import partitions, saml_metadata, saml_provider
from ansible_collections.connect_sso.federation.plugins.module_utils.arns import validate_provider_name
from ansible_collections.connect_sso.federation.plugins.module_utils.clients import account_clients
from ansible_collections.connect_sso.federation.plugins.module_utils.module_support import run, validate_tags


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            metadata=dict(type="str"),
            metadata_path=dict(type="path"),
            metadata_url=dict(type="str"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
        ),
        mutually_exclusive=[["metadata", "metadata_path", "metadata_url"]],
        required_if=[["state", "present", ["metadata", "metadata_path", "metadata_url"], True]],
        supports_check_mode=True,
    )
    saml_metadata.require_libraries(module)

    def body():
        params = module.params
        # IAM is global, but the region names the partition the provider's ARN is in
        partition = partitions.partition_for_region(module.region)
        name = validate_provider_name(params["name"])
        tags = validate_tags(params["tags"])
        document, option = None, None
        if params["state"] == "present":
            document = saml_provider.read_metadata_source(params)
            option = next(k for k in ("metadata", "metadata_path", "metadata_url") if params[k])
        aws = account_clients(module, module.region)
        return saml_provider.ensure(
            aws.client("iam"),
            name,
            document,
            option=option,
            tags=tags,
            purge_tags=params["purge_tags"],
            force=params["force"],
            check_mode=module.check_mode,
            warn=module.warn,
            account_id=lambda: saml_provider.caller_account_id(aws.client("sts")),
            partition=partition,
        )

    run(module, body)


if __name__ == "__main__":
    main()
