"""Inline OpenAPI / Swagger documents (`DefinitionBody`, `Body`): their operations, request validators,
body schemas and security requirements.

An OpenAPI document is a free-form document: it is read from the property's value (`.literal`) and
walked as written here, because its shape is OpenAPI's, not CloudFormation's (an intrinsic inside it
is not a value the template model reads, and answers "cannot tell").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from slens_lint.template.apis.common import OPENAPI_VERBS, REQUEST_VALIDATOR, REQUEST_VALIDATORS
from slens_lint.template.expressions import is_intrinsic, literal_string
from slens_lint.template.resources.base import Resource
from slens_lint.template.values import JsonPath, Truth, Value, free_form


@dataclass(frozen=True, eq=False)
class Operation:
    """One operation (`paths.<path>.<verb>`) of an inline OpenAPI document (a subject of rules when
    `api` is given)."""

    document: dict[str, Any]
    path: str
    verb: str
    """Upper case; `ANY` for `x-amazon-apigateway-any-method`."""
    written_verb: str
    """The verb as written in the document."""
    definition: dict[str, Any]
    json_path: JsonPath
    """Absolute JSON path of the operation (a finding about it points here)."""
    api: Optional[Resource[Any]] = None
    """The API whose document it is."""

    @property
    def value(self) -> Value:
        """The operation as a value (evidence for an answer about it)."""
        return free_form(self.definition, self.json_path)

    def extension(self, name: str) -> Any:
        """An `x-amazon-apigateway-*` value of the operation, else of the document root."""
        if name in self.definition:
            return self.definition[name]
        return self.document.get(name)

    def request_validator(self) -> tuple[Optional[str], Optional[dict[str, Any]], bool]:
        """(name, definition, known) of the validator in effect (operation level, else root level).

        `known` is False when the name is an intrinsic or names no validator of the document (then the
        answer cannot be trusted); name None with known True means no validator at all.
        """
        raw = self.extension(REQUEST_VALIDATOR)
        if raw is None:
            return None, None, True
        name = literal_string(raw)
        if name is None:
            return None, None, False
        validators = self.document.get(REQUEST_VALIDATORS)
        if not isinstance(validators, dict) or is_intrinsic(validators):
            return name, None, False
        definition = validators.get(name)
        if not isinstance(definition, dict) or is_intrinsic(definition):
            return name, None, False
        return name, definition, True

    def has_body_schema(self) -> bool:
        """A body model: OpenAPI 3 `requestBody`, or a Swagger 2 `in: body` parameter (operation or path)."""
        if self.definition.get("requestBody") is not None:
            return True
        path_item = _mapping(_mapping(self.document.get("paths")).get(self.path))
        for parameters in (self.definition.get("parameters"), path_item.get("parameters")):
            if not isinstance(parameters, list):
                continue
            for parameter in parameters:
                if isinstance(parameter, dict) and (parameter.get("in") == "body" or "$ref" in parameter):
                    return True
        return False

    def security(self) -> Optional[list[Any]]:
        """The security requirements in effect (operation level, else document root); None when unreadable."""
        raw = self.definition.get("security", self.document.get("security", []))
        return raw if isinstance(raw, list) else None

    def requires_api_key(self) -> Truth:
        """Whether a requirement names an API-key scheme that API Gateway enforces as a key (`x-api-key`);
        unknown when the requirements cannot be read."""
        requirements = self.security()
        if requirements is None:
            return Truth.of(None, self.value)
        schemes = self.schemes
        named = (name for requirement in requirements if isinstance(requirement, dict) for name in requirement)
        return Truth.of(any(_is_api_key_scheme(schemes.get(name)) for name in named), self.value)

    @property
    def schemes(self) -> dict[str, Any]:
        """The security schemes its document declares, by name (see `security_schemes`)."""
        return security_schemes(self.document)

    def authorizer_scheme(self) -> Optional[str]:
        """The first security scheme of the document that authenticates callers (anything but an API key)."""
        return next((name for name, scheme in self.schemes.items() if isinstance(scheme, dict) and not api_key_only(scheme)), None)

    @property
    def openapi3(self) -> bool:
        """The document is OpenAPI 3 (`openapi: 3.x`), not Swagger 2: its schemes go under `components`."""
        return "openapi" in self.document

    # ---- as a subject ---------------------------------------------------------------------

    @property
    def key(self) -> str:
        return "/".join(map(str, self.json_path))

    @property
    def resource_id(self) -> Optional[str]:
        return self.api.logical_id if self.api is not None else None

    @property
    def owners(self) -> tuple[str, ...]:
        return self.api.owners if self.api is not None else ()

    @property
    def anchors(self) -> tuple[JsonPath, ...]:
        return (self.json_path, *(self.api.anchors if self.api is not None else ()))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) and not is_intrinsic(value) else {}


def document_of(value: Value) -> Optional[dict[str, Any]]:
    """The OpenAPI document a `DefinitionBody`/`Body` value holds, when it is written inline (not an
    intrinsic, a file include, or conditional)."""
    literal = value.literal if value.known else None
    return literal if isinstance(literal, dict) and not is_intrinsic(literal) else None


def security_schemes(document: dict[str, Any]) -> dict[str, Any]:
    """The security schemes an OpenAPI document declares: Swagger 2 `securityDefinitions` and
    OpenAPI 3 `components.securitySchemes`, by name."""
    swagger = document.get("securityDefinitions")
    components = _mapping(document.get("components")).get("securitySchemes")
    merged: dict[str, Any] = {}
    for source in (swagger, components):
        if isinstance(source, dict) and not is_intrinsic(source):
            merged.update(source)
    return merged


def api_key_only(scheme: Any) -> bool:
    """A declared scheme that API Gateway enforces as an API key, not as an authorizer: a Lambda
    authorizer is declared as `type: apiKey` too, with an authtype / authorizer extension."""
    if not isinstance(scheme, dict) or scheme.get("type") != "apiKey":
        return False
    return "x-amazon-apigateway-authtype" not in scheme and "x-amazon-apigateway-authorizer" not in scheme


def _is_api_key_scheme(scheme: Any) -> bool:
    if not api_key_only(scheme):
        return False
    name = scheme.get("name")
    return isinstance(name, str) and name.lower() == "x-api-key"


def operations(document: Any, json_path: JsonPath, api: Optional[Resource[Any]] = None) -> list[Operation]:
    """The operations of an inline OpenAPI / Swagger document (none when it is not a readable mapping)."""
    found: list[Operation] = []
    paths = _mapping(_mapping(document).get("paths"))
    for path, item in paths.items():
        if not isinstance(path, str) or not isinstance(item, dict) or is_intrinsic(item):
            continue
        for written, definition in item.items():
            verb = OPENAPI_VERBS.get(str(written).lower())
            if verb is None or not isinstance(definition, dict) or is_intrinsic(definition):
                continue
            found.append(
                Operation(
                    document=document,
                    path=str(path),
                    verb=verb,
                    written_verb=str(written),
                    definition=definition,
                    json_path=(*json_path, "paths", str(path), str(written)),
                    api=api,
                )
            )
    return found
