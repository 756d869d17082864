"""Usage plans: UpdateUsagePlan's patch paths, DeleteUsagePlan's refusal, plan keys' errors.

UpdateUsagePlan (paths from AWS's docs and answers; see README.md):
- replace /name, /description; add|replace|remove /productCode
- replace /quota/limit, /quota/offset (whole numbers), /quota/period (DAY|WEEK|MONTH); remove /quota
- replace /throttle/rateLimit (a double), /throttle/burstLimit (a whole number); remove /throttle
- add /apiStages and remove /apiStages with value API:STAGE (the stage must exist to be added;
  a stage with per-method throttles can be removed: moto failed with HTTP 500)
- replace|add /apiStages/API:STAGE/throttle/PATH/METHOD/rateLimit|burstLimit, where PATH is the
  resource path written as is or with / escaped as ~1 (the map key becomes PATH/METHOD, e.g.
  /pets/GET, //GET for the root); remove /apiStages/API:STAGE/throttle/PATH/METHOD;
  remove /apiStages/API:STAGE/throttle; replace /apiStages/API:STAGE/throttle with a JSON map
- anything else: 400 with AWS's "Invalid patch path" wording. All operations apply, or none.

DeleteUsagePlan refuses while stages are attached, with AWS's text; unknown plans are 404.
CreateUsagePlanKey: 404 for an unknown plan (moto created it), 409 for a key already in the plan.
DeleteUsagePlanKey: 404 for a key not in the plan (moto failed with HTTP 500).
"""

import json
from typing import Any

from moto.apigateway.models import APIGatewayBackend, UsagePlan

import harness
from harness import around, bad_request, conflict, not_found

REMOVE_PATHS = [
    "/apiStages",
    "/quota",
    "/throttle",
    "/productCode",
    "/apiStages/<apiId:stageName>/throttle/<resourcePath>/<httpMethod>",
    "/apiStages/<apiId:stageName>/throttle",
]
SET_PATHS = [
    "/name",
    "/description",
    "/productCode",
    "/quota/limit",
    "/quota/offset",
    "/quota/period",
    "/throttle/rateLimit",
    "/throttle/burstLimit",
    "/apiStages",
    "/apiStages/<apiId:stageName>/throttle",
    "/apiStages/<apiId:stageName>/throttle/<resourcePath>/<httpMethod>/rateLimit",
    "/apiStages/<apiId:stageName>/throttle/<resourcePath>/<httpMethod>/burstLimit",
]
PERIODS = ("DAY", "WEEK", "MONTH")


def require_stage(backend: APIGatewayBackend, api_id: str, stage: str) -> None:
    api = backend.apis.get(api_id)
    if api is None or stage not in api.stages:
        raise bad_request(f"Invalid API Stage {{api: {api_id}, stage: {stage}}} specified: no such stage")


def parse_throttle(value: Any, what: str) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise bad_request(f"Invalid value for {what}: expected a JSON map of PATH/METHOD to throttle settings")
    if not isinstance(value, dict):
        raise bad_request(f"Invalid value for {what}: expected a JSON map of PATH/METHOD to throttle settings")
    throttle = {}
    for method_key, settings in value.items():
        if not isinstance(settings, dict):
            raise bad_request(f"Invalid throttle settings for {method_key}")
        entry = {}
        if "burstLimit" in settings:
            entry["burstLimit"] = harness.parse_number(settings["burstLimit"], f"{method_key} burstLimit", int)
        if "rateLimit" in settings:
            entry["rateLimit"] = harness.parse_number(settings["rateLimit"], f"{method_key} rateLimit", float)
        throttle[method_key] = entry
    return throttle


class PlanPatch:
    def __init__(self, backend: APIGatewayBackend, plan: UsagePlan):
        self.backend = backend
        self.plan = plan

    def stage(self, ref: str, op: dict[str, Any]) -> dict[str, Any]:
        api_id, _, stage = ref.partition(":")
        for entry in self.plan.api_stages:
            if entry["apiId"] == api_id and entry["stage"] == stage:
                return entry
        raise bad_request(f"Invalid API Stage {ref} specified: usage plan {self.plan.id} does not cover it")

    def apply(self, op: dict[str, Any]) -> None:
        kind, path, value = op.get("op"), op.get("path") or "", op.get("value")
        if path.startswith("/apiStages/"):
            return self.apply_to_stage(op, kind, path, value)
        if kind == "remove":
            return self.remove(op, path, value)
        if kind not in ("add", "replace"):
            raise harness.invalid_patch_path(op, SET_PATHS)
        plan = self.plan
        if path == "/apiStages" and kind == "add":
            self.add_stage(str(value))
        elif path == "/name" and kind == "replace":
            if not value:
                raise bad_request("The usage plan name must not be empty")
            plan.name = value
        elif path == "/description" and kind == "replace":
            plan.description = value
        elif path == "/productCode":
            plan.product_code = value
        elif path == "/quota/limit":
            plan.quota["limit"] = self.non_negative(value, path)
        elif path == "/quota/offset":
            plan.quota["offset"] = self.non_negative(value, path)
        elif path == "/quota/period":
            if value not in PERIODS:
                raise bad_request(f"Invalid quota period '{value}': must be one of {', '.join(PERIODS)}")
            plan.quota["period"] = value
        elif path == "/throttle/rateLimit":
            plan.throttle["rateLimit"] = harness.parse_number(value, path, float)
        elif path == "/throttle/burstLimit":
            plan.throttle["burstLimit"] = harness.parse_number(value, path, int)
        else:
            raise harness.invalid_patch_path(op, SET_PATHS)

    @staticmethod
    def non_negative(value: Any, path: str) -> int:
        number = harness.parse_number(value, path, int)
        if number < 0:
            raise bad_request(f"Invalid value {number} for {path}: must not be negative")
        return number

    def add_stage(self, ref: str) -> None:
        api_id, _, stage = ref.partition(":")
        if not api_id or not stage:
            raise bad_request(f"Invalid API Stage '{ref}': expected API_ID:STAGE_NAME")
        require_stage(self.backend, api_id, stage)
        if any(e["apiId"] == api_id and e["stage"] == stage for e in self.plan.api_stages):
            raise conflict(f"API Stage {ref} is already in usage plan {self.plan.id}")
        self.plan.api_stages.append({"apiId": api_id, "stage": stage})

    def remove(self, op: dict[str, Any], path: str, value: Any) -> None:
        plan = self.plan
        if path == "/apiStages":
            entry = self.stage(str(value or ""), op)
            plan.api_stages.remove(entry)
        elif path == "/quota":
            plan.quota = {}
        elif path == "/throttle":
            plan.throttle = {}
        elif path == "/productCode":
            plan.product_code = None
        else:
            raise harness.invalid_patch_path(op, REMOVE_PATHS)

    def apply_to_stage(self, op: dict[str, Any], kind: str, path: str, value: Any) -> None:
        rest = path[len("/apiStages/") :]
        ref, _, tail = rest.partition("/")
        if not tail.startswith("throttle"):
            raise harness.invalid_patch_path(op, REMOVE_PATHS if kind == "remove" else SET_PATHS)
        entry = self.stage(ref, op)
        if tail == "throttle":
            if kind == "remove":
                entry.pop("throttle", None)
            elif kind in ("add", "replace"):
                entry["throttle"] = parse_throttle(value, path)
            else:
                raise harness.invalid_patch_path(op, SET_PATHS)
            return
        method_path = tail[len("throttle/") :]
        if kind == "remove":
            method_key = self.method_key(method_path, op)
            throttle = entry.get("throttle") or {}
            if method_key not in throttle:
                raise bad_request(f"Usage plan {self.plan.id} has no throttle for {method_key} on API Stage {ref}")
            del throttle[method_key]
            return
        if kind not in ("add", "replace"):
            raise harness.invalid_patch_path(op, SET_PATHS)
        method_path, _, field = method_path.rpartition("/")
        if field not in ("rateLimit", "burstLimit"):
            raise harness.invalid_patch_path(op, SET_PATHS)
        method_key = self.method_key(method_path, op)
        settings = entry.setdefault("throttle", {}).setdefault(method_key, {})
        settings[field] = harness.parse_number(value, path, float if field == "rateLimit" else int)

    @staticmethod
    def method_key(method_path: str, op: dict[str, Any]) -> str:
        """The throttle map key a path names: /pets/GET, or //GET for the root.

        The resource path may be written as it is ('throttle//pets/GET', as Terraform sends it),
        escaped as a JSON Pointer token ('throttle/~1pets/GET'), or without its leading slash
        ('throttle/pets/GET', as gwctl sends it; how AWS reads that spelling is unconfirmed).
        """
        resource, _, method = method_path.rpartition("/")
        resource = harness.unescape_pointer(resource)
        if not resource.startswith("/"):
            resource = "/" + resource
        if not method.isalpha():
            raise harness.invalid_patch_path(op, SET_PATHS)
        return f"{resource}/{method.upper()}"


@around(APIGatewayBackend, "create_usage_plan")
def _create_usage_plan(original: Any, self: APIGatewayBackend, payload: Any) -> UsagePlan:
    for entry in payload.get("apiStages") or []:
        require_stage(self, entry.get("apiId"), entry.get("stage"))
        if "throttle" in entry:
            entry["throttle"] = parse_throttle(entry["throttle"], "apiStages throttle")
    return original(self, payload)


@around(APIGatewayBackend, "update_usage_plan")
def _update_usage_plan(original: Any, self: APIGatewayBackend, usage_plan_id: str, patch_operations: Any) -> UsagePlan:
    plan = self.get_usage_plan(usage_plan_id)
    patch = PlanPatch(self, plan)
    harness.transactional(plan, lambda _: [patch.apply(op) for op in patch_operations or []])
    return plan


@around(APIGatewayBackend, "delete_usage_plan")
def _delete_usage_plan(original: Any, self: APIGatewayBackend, usage_plan_id: str) -> None:
    plan = self.get_usage_plan(usage_plan_id)
    if plan.api_stages:
        first = plan.api_stages[0]
        raise bad_request(
            f"Cannot delete Usage Plan {plan.id} because there are API Stages associated with it, including {first['apiId']}:{first['stage']}"
        )
    original(self, usage_plan_id)
    self.usage_plan_keys.pop(usage_plan_id, None)


@around(APIGatewayBackend, "create_usage_plan_key")
def _create_usage_plan_key(original: Any, self: APIGatewayBackend, usage_plan_id: str, payload: dict[str, Any]) -> Any:
    self.get_usage_plan(usage_plan_id)
    if payload.get("keyId") in self.usage_plan_keys.get(usage_plan_id, {}):
        raise conflict(f"API Key {payload['keyId']} is already in usage plan {usage_plan_id}")
    return original(self, usage_plan_id, payload)


@around(APIGatewayBackend, "delete_usage_plan_key")
def _delete_usage_plan_key(original: Any, self: APIGatewayBackend, usage_plan_id: str, key_id: str) -> None:
    self.get_usage_plan(usage_plan_id)
    if key_id not in self.usage_plan_keys.get(usage_plan_id, {}):
        raise not_found("Invalid API Key identifier specified")
    original(self, usage_plan_id, key_id)

