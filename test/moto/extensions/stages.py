"""UpdateStage: access logging checked as AWS checks it, and method settings as AWS stores them.

- /accessLogSettings/destinationArn to a CloudWatch Logs group is refused while the Region's
  account setting cloudwatchRoleArn is unset, with AWS's message "CloudWatch Logs role ARN must be
  set in account settings to enable logging". A Firehose destination needs no role but its
  stream name must start with amazon-apigateway-. The format must contain $context.requestId or
  $context.extendedRequestId. moto accepted all of these.
- A method setting created by a patch (e.g. /*/*/throttling/rateLimit, /~1pets/GET/...) starts
  from AWS's defaults: throttling 10000 requests per second, burst 5000 (AWS's example output;
  moto used 1000 and 2000, which looks like a stage throttle that nobody set). -1 is kept as is:
  it means throttling off.
- A method setting path AWS does not know is refused with AWS's wording; a value that is not a
  number is a 400, not moto's HTTP 500. All operations of one call apply, or none.
"""

import re
from typing import Any

from moto.apigateway.models import APIGatewayBackend, Stage

import harness
from harness import around, bad_request

ROLE_MISSING = "CloudWatch Logs role ARN must be set in account settings to enable logging"
METHOD_SETTING_PATHS = (
    ".../metrics/enabled, .../logging/dataTrace, .../logging/loglevel,.../throttling/burstLimit, .../throttling/rateLimit, "
    ".../caching/ttlInSeconds, .../caching/enabled, .../caching/dataEncrypted, .../caching/requireAuthorizationForCacheControl, "
    ".../caching/unauthorizedCacheControlHeaderStrategy"
)
REQUEST_ID = re.compile(r"\$context\.(requestId|extendedRequestId)(?![A-Za-z0-9_])")
LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?$")
FIREHOSE_ARN = re.compile(r"^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/(?P<name>.+)$")


def method_setting_defaults(self: Stage) -> dict[str, Any]:
    return {
        "metricsEnabled": False,
        "dataTraceEnabled": False,
        "throttlingBurstLimit": 5000,
        "throttlingRateLimit": 10000.0,
        "cachingEnabled": False,
        "cacheTtlInSeconds": 300,
        "cacheDataEncrypted": False,
        "requireAuthorizationForCacheControl": True,
        "unauthorizedCacheControlHeaderStrategy": "SUCCEED_WITH_RESPONSE_HEADER",
    }


Stage._get_default_method_settings = method_setting_defaults  # type: ignore[method-assign]


@around(Stage, "_patch_method_setting")
def _known_method_setting(original: Any, self: Stage, resource_path_and_method: str, key: str, value: str) -> None:
    if self._method_settings_translations(key) is None:
        raise bad_request(f"Invalid method setting path: {key}. Must be one of: [{METHOD_SETTING_PATHS}]")
    try:
        original(self, resource_path_and_method, key, value)
    except ValueError:
        raise bad_request(f"Invalid value '{value}' for {resource_path_and_method}/{key}")


def check_access_logging(backend: APIGatewayBackend, stage: Stage) -> None:
    settings = stage.access_log_settings or {}
    destination = settings.get("destinationArn")
    log_format = settings.get("format")
    if destination:
        firehose = FIREHOSE_ARN.match(destination)
        if firehose:
            if not firehose.group("name").startswith("amazon-apigateway-"):
                raise bad_request(f"Invalid Firehose delivery stream {firehose.group('name')}: its name must begin with amazon-apigateway-")
        elif LOG_GROUP_ARN.match(destination):
            if not backend.account.cloudwatch_role_arn:
                raise bad_request(ROLE_MISSING)
        else:
            raise bad_request(f"Invalid ARN specified in the request: {destination} is neither a CloudWatch Logs log group nor a Firehose delivery stream")
    if log_format is not None and not REQUEST_ID.search(log_format):
        raise bad_request("The access log format must include $context.requestId or $context.extendedRequestId")


ACCESS_LOG_FIELDS = ("/accessLogSettings/destinationArn", "/accessLogSettings/format")


def access_log_field_ops(stage: Stage, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """AWS accepts add, replace and remove on the two access log fields; moto only replace.
    Applies add (as replace) and remove of those here and leaves the rest to moto."""
    rest = []
    for op in operations:
        if op.get("path") in ACCESS_LOG_FIELDS and op.get("op") in ("add", "remove"):
            field = op["path"].rsplit("/", 1)[1]
            settings = dict(stage.access_log_settings or {})
            if op["op"] == "add":
                settings[field] = op.get("value")
            else:
                settings.pop(field, None)
            stage.access_log_settings = settings or None
        else:
            rest.append(op)
    return rest


@around(APIGatewayBackend, "update_stage")
def _update_stage(original: Any, self: APIGatewayBackend, function_id: str, stage_name: str, patch_operations: Any) -> Stage:
    stage = self.get_stage(function_id, stage_name)

    def apply(_: Any) -> None:
        original(self, function_id, stage_name, access_log_field_ops(stage, patch_operations or []))
        check_access_logging(self, stage)

    harness.transactional(stage, apply)
    return stage
