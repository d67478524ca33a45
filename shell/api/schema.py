"""The OpenAPI schema of /api/: only /api/ endpoints, and every operation documents the errors DRF
gives it as well as its successes, so a client (and schemathesis) knows every status it may receive."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"
ERROR_SCHEMAS = {
    ERROR: {
        "type": "object",
        "description": "Why the request failed.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": (
            "What is wrong with the input: field name -> messages, or ``detail`` for a malformed request "
            "or an error that concerns no single field."
        ),
        "additionalProperties": True,
    },
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def only_api_endpoints(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: the schema documents /api/ only (Wagtail's admin API,
    mounted under /cms/, is internal to the CMS)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def _error(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def _requires_login(operation: dict) -> bool:
    return {} not in operation.get("security", [{}])


def error_responses(operation: dict, method: str) -> dict[str, dict]:
    """The error statuses DRF answers this operation with, from what the operation declares: input
    (400, 415), a login (401; 403 from a permission or, with the session cookie, a missing CSRF token),
    objects named in the path or a page number (404)."""
    parameters = operation.get("parameters", [])
    body = "requestBody" in operation
    found = {}
    if body or any(p["in"] == "query" for p in parameters):
        found["400"] = _error(VALIDATION_ERROR, "Invalid input.")
    if _requires_login(operation):
        found["401"] = _error(ERROR, "Not logged in, or the token is unknown.")
        if method in UNSAFE_METHODS:
            found["403"] = _error(ERROR, "Not allowed (a role or, with the session cookie, the CSRF token).")
    if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
        found["404"] = _error(ERROR, "Not found, or not visible to this user.")
    if body:
        found["415"] = _error(ERROR, "The request body's media type is not accepted.")
    return found


def document_error_responses(result: dict) -> dict:
    """Add the error responses to every operation; a response an operation already declares keeps its
    description, and gains the error body if it declared none."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status, response in error_responses(operation, method).items():
                responses.setdefault(status, response)
            for status, response in responses.items():
                if status.startswith("4") and "content" not in response:
                    response["content"] = _error(VALIDATION_ERROR if status == "400" else ERROR, "")["content"]
            operation["responses"] = dict(sorted(responses.items()))
    return result


def document_parameters(result: dict) -> dict:
    """What the URL patterns and the query parsing do with parameters: an integer in a path is Django's
    ``int`` converter, ``[0-9]+`` (``-1`` matches no URL); an optional query parameter sent empty
    counts as absent (``validated_query``, and DRF's own ``page``)."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter.get("schema", {}).get("type") == "integer":
                    parameter["schema"].setdefault("minimum", 0)
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter.setdefault("allowEmptyValue", True)
    return result


class SchemaGenerator(SpectacularSchemaGenerator):
    """The schema served at /api/schema/ (``manage.py spectacular --generator-class
    shell.api.schema.SchemaGenerator`` writes the same)."""

    def get_schema(self, request=None, public=False):
        result = super().get_schema(request=request, public=public)
        return document_error_responses(document_parameters(result))
