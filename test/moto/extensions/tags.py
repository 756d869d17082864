"""TagResource, UntagResource and GetTags for usage plans, API keys, REST APIs and stages.

ARNs as AWS writes them: arn:aws:apigateway:REGION::/usageplans/ID, .../apikeys/ID,
.../restapis/ID and .../restapis/ID/stages/NAME. The SDKs send the ARN as one URL-encoded path
segment; moto routed only stage ARNs, and had no GetTags. TagResource and UntagResource answer
204; GetTags answers {"tags": {...}}. An unknown resource is a 404 as its Get call gives; at
most 50 tags, keys 1-128 characters not starting with aws:, values up to 256 characters.
"""

import json
import re
from typing import Any
from urllib.parse import unquote

from moto.apigateway.responses import APIGatewayResponse

import harness
from harness import action, around, bad_request

harness.route(r"{0}/tags/(?P<resource_arn>.+)$")

ARN = re.compile(r"^arn:(?P<partition>[^:]+):apigateway:(?P<region>[^:]+)::(?P<path>/.+)$")
MAX_TAGS = 50


def tagged_resource(response: Any) -> Any:
    """The object whose `tags` the ARN in the request path names."""
    raw = response.raw_path if response.raw_path.startswith("/tags/") else response.path
    arn = unquote(raw[len("/tags/") :])
    match = ARN.match(arn)
    if not match:
        raise bad_request(f"Invalid ARN specified in the request: {arn}")
    backend = harness.backend(match.group("region"), response.current_account)
    parts = match.group("path").split("/")[1:]
    if len(parts) == 2 and parts[0] == "usageplans":
        return backend.get_usage_plan(parts[1])
    if len(parts) == 2 and parts[0] == "apikeys":
        return backend.get_api_key(parts[1])
    if len(parts) == 2 and parts[0] == "restapis":
        return backend.get_rest_api(parts[1])
    if len(parts) == 4 and parts[0] == "restapis" and parts[2] == "stages":
        return backend.get_stage(parts[1], parts[3])
    raise bad_request(f"Invalid ARN specified in the request: {arn} is not a taggable API Gateway resource")


def check_tags(tags: Any) -> dict[str, str]:
    if not isinstance(tags, dict) or not tags:
        raise bad_request("tags is required: a map of tag keys to values")
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise bad_request(f"Invalid tag key '{key}': 1 to 128 characters, not starting with aws:")
        if not isinstance(value, str) or len(value) > 256:
            raise bad_request(f"Invalid value for tag '{key}': a string of up to 256 characters")
    return tags


@around(APIGatewayResponse, "tag_resource")
def _tag_resource(original: Any, self: Any) -> tuple[int, dict[str, Any], str]:
    resource = tagged_resource(self)
    merged = {**(resource.tags or {}), **check_tags(harness.json_body(self).get("tags"))}
    if len(merged) > MAX_TAGS:
        raise bad_request(f"A resource can have at most {MAX_TAGS} tags")
    resource.tags = merged
    return 204, {"status": 204}, ""


@around(APIGatewayResponse, "untag_resource")
def _untag_resource(original: Any, self: Any) -> tuple[int, dict[str, Any], str]:
    resource = tagged_resource(self)
    keys = self.querystring.get("tagKeys") or []
    if not keys:
        raise bad_request("tagKeys is required")
    resource.tags = {k: v for k, v in (resource.tags or {}).items() if k not in keys}
    return 204, {"status": 204}, ""


@action("get_tags")
def get_tags(self: Any) -> str:
    return json.dumps({"tags": tagged_resource(self).tags or {}})
