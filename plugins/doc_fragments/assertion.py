# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # What an IdC app puts in the assertion, and who may use the app: shared by the modules that set them.
    DOCUMENTATION = r"""
options:
  role_session_name:
    description:
      - Source of C(RoleSessionName), which Connect compares, case sensitively, with the username.
      - A C(${user:...}) attribute (C(email), C(subject), C(name), C(preferredUsername), C(givenName),
        C(familyName), C(middleName), C(AD_GUID)) or a literal.
    type: str
    default: "${user:email}"
  subject:
    description: Source of the assertion's Subject (NameID).
    type: str
    default: "${user:email}"
  subject_format:
    description: NameID format of the Subject.
    type: str
    choices: [email, persistent, transient, unspecified]
    default: email
  attributes:
    description: Extra attributes, name to source (for example C(https://aws.amazon.com/SAML/Attributes/SessionDuration)).
    type: dict
    default: {}
  relay_destination:
    description:
      - The instance's page to open after sign-in, for example C(/ccp-v2) or C(/agent-app-v2).
      - A path starting with C(/) (not C(//)), or an https URL on the instance's own Connect domain,
        C(https://<alias>.my.connect.aws/...) or C(https://<alias>.awsapps.com/...); where only the instance's ARN
        is known, any instance's Connect domain. Anything else is refused before any write.
    type: str
  new_domain:
    description: Add C(new_domain=true) to the relay state (instances on C(*.my.connect.aws)).
    type: bool
    default: false
  session_duration:
    description: How long the SAML session lasts, ISO-8601, C(PT15M) to C(PT12H).
    type: str
    default: PT1H
"""

    PRINCIPALS = r"""
options:
  principals:
    description: IdC users and groups for the app.
    type: list
    elements: dict
    default: []
    suboptions:
      type:
        description: C(GROUP) or C(USER).
        type: str
        choices: [GROUP, USER]
        required: true
      name:
        description: Group display name or user name in the identity store. Exactly one of O(principals[].name) and O(principals[].id).
        type: str
      id:
        description: Identity store id of the group or user.
        type: str
"""
