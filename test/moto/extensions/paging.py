"""Paged lists, as AWS pages them: `limit` (default 25, at most 500) and `position`.

moto returned every item of GetApiKeys, GetUsagePlans, GetUsagePlanKeys, GetRestApis,
GetResources, GetDeployments and GetAuthorizers in one answer and ignored `limit`, so a client
that forgot to follow `position` worked against moto and lost items on AWS. Here each answer
holds at most `limit` items and a `position` while more follow; a limit outside 1-500 is a 400.
Paging applies to the final list of an action, after any filter other extensions add.
(GetUsage pages keys itself: usage.py.)
"""

import base64
import binascii
import json
from typing import Any

from moto.apigateway.responses import APIGatewayResponse
from moto.core.utils import camelcase_to_underscores

from harness import around, bad_request, query

PAGED_ACTIONS = {
    "get_api_keys",
    "get_usage_plans",
    "get_usage_plan_keys",
    "get_rest_apis",
    "get_resources",
    "get_deployments",
    "get_authorizers",
}
DEFAULT_LIMIT = 25
MAX_LIMIT = 500


def page_window(response: Any) -> tuple[int, int]:
    """(first index, limit) from the request's position and limit."""
    limit_text = query(response, "limit")
    limit = DEFAULT_LIMIT
    if limit_text is not None:
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
            raise bad_request(f"Invalid limit '{limit_text}': must be between 1 and {MAX_LIMIT}")
        limit = int(limit_text)
    position = query(response, "position")
    if not position:
        return 0, limit
    try:
        return int(base64.urlsafe_b64decode(position.encode()).decode()), limit
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request(f"Invalid position '{position}'")


@around(APIGatewayResponse, "call_action")
def _paged(original: Any, self: Any) -> Any:
    if self.method != "GET" or camelcase_to_underscores(self._get_action() or "") not in PAGED_ACTIONS:
        return original(self)
    try:
        first, limit = page_window(self)
    except Exception as error:  # an AwsError: answered here, before moto runs the action
        return error.code, dict(error.get_headers()), error.get_body()  # type: ignore[attr-defined]
    status, headers, body = original(self)
    if status != 200:
        return status, headers, body
    listed = json.loads(body)
    items = listed.get("item") or []
    listed["item"] = items[first : first + limit]
    if first + limit < len(items):
        listed["position"] = base64.urlsafe_b64encode(str(first + limit).encode()).decode()
    return status, headers, json.dumps(listed)
