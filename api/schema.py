"""How the schema describes the token authentication (a bearer token)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token issued by the administrator (`manage.py api_token issue`): "
            "`Authorization: Bearer <prefix>.<secret>`.",
        }
