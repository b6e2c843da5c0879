# -*- coding: utf-8 -*-
# Copyright: Contributors to the connect_sso.federation collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The `app` option of the modules that work on an existing IdC application.
    DOCUMENTATION = r"""
options:
  app:
    description:
      - The application - its display name, its C(apl-)/C(ins-) id or its ARN.
      - In check mode, an application named by display name that does not exist yet is not an
        error - an earlier M(connect_sso.federation.sso_saml_app) task would create it; the
        module reports a pending change (RV(pending)).
    type: str
    required: true
"""
