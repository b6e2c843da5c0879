"""The IdP metadata IdC publishes for each SAML application, at
/saml/metadata/<base64('<account>_ins-<hex>')>: unauthenticated, unsigned, one signing
certificate (the ACTIVE one), the same layout as the documents IdC serves."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from werkzeug.wrappers import Request, Response

from ..awserrors import AWSError
from ..requestinfo import PORTAL_METADATA_PATH, RequestInfo
from .idc_model import NAMEID_FORMATS, STATE, App

POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
CONTENT_TYPE = "application/samlmetadata+xml"  # inferred: the type AWS serves it with is unknown


def metadata_xml(app: App) -> str:
    login, logout = quoteattr(app.issuer), quoteattr(app.logout_url)
    formats = "".join(f"<md:NameIDFormat>{escape(f)}</md:NameIDFormat>" for f in NAMEID_FORMATS)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        f'<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID={quoteattr(app.issuer)}>'
        '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" '
        'protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        f"<ds:X509Data><ds:X509Certificate>{app.active_certificate.der_base64}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>"
        f'<md:SingleLogoutService Binding="{POST}" Location={logout}/>'
        f'<md:SingleLogoutService Binding="{REDIRECT}" Location={logout}/>'
        f"{formats}"
        f'<md:SingleSignOnService Binding="{POST}" Location={login}/>'
        f'<md:SingleSignOnService Binding="{REDIRECT}" Location={login}/>'
        "</md:IDPSSODescriptor></md:EntityDescriptor>"
    )


def metadata_page(request: Request, info: RequestInfo, _body: bytes) -> Response:
    """GET /saml/metadata/<token>. Unknown tokens (and deleted apps) are a 404 in AWS's JSON shape."""
    if request.method not in ("GET", "HEAD"):
        raise AWSError("MethodNotAllowedException", f"{request.method} is not supported here", 405)
    app = STATE.app_by_token(request.path[len(PORTAL_METADATA_PATH) :].strip("/"))
    if app is None:
        raise AWSError("NotFound", "The requested metadata does not exist", 404)
    info.region = app.instance.region
    return Response(metadata_xml(app), content_type=CONTENT_TYPE)
