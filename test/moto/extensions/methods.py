"""UpdateMethod (PATCH /restapis/{id}/resources/{rid}/methods/{httpMethod}), which moto lacks.

Paths: replace /apiKeyRequired, /authorizationType, /authorizerId, /operationName,
/requestValidatorId. A CUSTOM or COGNITO_USER_POOLS method must name an authorizer of the API
(AWS's BadRequest wording); NONE and AWS_IAM methods carry no authorizer. As on AWS the change
reaches callers only with the next deployment (see deployments.py).
"""

import json
from typing import Any

import harness
from harness import action, bad_request, path_parts

AUTHORIZATION_TYPES = ["NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"]
PATHS = ["/apiKeyRequired", "/authorizationType", "/authorizerId", "/operationName", "/requestValidatorId"]


def apply(method: Any, api: Any, operations: list[dict[str, Any]]) -> None:
    for op in operations:
        path = op.get("path")
        if op.get("op") != "replace" or path not in PATHS:
            raise harness.invalid_patch_path(op, PATHS)
        value = op.get("value")
        if path == "/apiKeyRequired":
            method.api_key_required = harness.parse_bool(value, path)
        elif path == "/authorizationType":
            if value not in AUTHORIZATION_TYPES:
                raise bad_request(f"Invalid authorization type '{value}': must be one of {', '.join(AUTHORIZATION_TYPES)}")
            method.authorization_type = value
        elif path == "/authorizerId":
            method.authorizer_id = value or None
        elif path == "/operationName":
            method.operation_name = value
        elif path == "/requestValidatorId":
            method.request_validator_id = value or None

    if method.authorization_type in ("CUSTOM", "COGNITO_USER_POOLS"):
        if not method.authorizer_id or method.authorizer_id not in api.authorizers:
            raise bad_request(
                "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer."
            )
    else:
        method.authorizer_id = None


@action("update_method")
def update_method(self: Any) -> str:
    parts = path_parts(self)
    api = self.backend.get_rest_api(parts[2])
    method = self.backend.get_method(parts[2], parts[4], parts[6])
    operations = harness.patch_operations(self)
    harness.transactional(method, lambda m: apply(m, api, operations))
    return json.dumps(method.to_json())
