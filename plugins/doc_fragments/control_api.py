# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The IdC console API switch shared by the modules that configure SAML applications.
    DOCUMENTATION = r"""
options:
  control_api:
    description:
      - AWS publishes no API for the configuration of SAML applications; the IAM Identity Center
        console uses an undocumented one (C(https://sso.<region>.amazonaws.com/control/), SigV4
        service C(sso)). With V(true) this module uses it. AWS may change it without notice.
      - With V(false) the module makes no call to it; it returns C(manual_steps), the exact console
        fields and values, and reports what it could not verify.
    type: bool
    default: true
notes:
  - Needs the C(sso:) actions of the console API (for example C(sso:CreateApplicationInstance),
    C(sso:GetApplicationInstance), C(sso:UpdateApplicationInstance*)) in the IdC account; an access
    denied error names the missing action. Credentials the API refuses (unknown, invalid or expired)
    are reported as such, not as a missing permission.
  - The region is the IAM Identity Center home region.
"""
