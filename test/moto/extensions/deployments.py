"""Deployments: the API summary AWS keeps with each deployment, and stages that survive a redeploy.

- GetDeployment with `embed=apisummary` returns `apiSummary`: per resource path and HTTP method,
  the method's `authorizationType` and `apiKeyRequired` as they were when the deployment was
  created. moto ignores `embed`; this takes the snapshot at CreateDeployment.
- CreateDeployment to an existing stage points that stage at the new deployment and keeps its
  settings (method settings, access logging, tags), as AWS does. moto replaced the stage with a
  new, empty one.
- GetDeployment of an unknown id answers 404 NotFoundException, not moto's HTTP 500.
"""

import json
from typing import Any

from moto.apigateway.models import RestAPI
from moto.apigateway.responses import APIGatewayResponse

from harness import around, not_found, path_parts


def api_summary(api: RestAPI) -> dict[str, dict[str, dict[str, Any]]]:
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for resource in api.resources.values():
        if resource.resource_methods:
            summary[resource.get_path()] = {
                method: {"authorizationType": m.authorization_type or "NONE", "apiKeyRequired": bool(m.api_key_required)}
                for method, m in sorted(resource.resource_methods.items())
            }
    return dict(sorted(summary.items()))


@around(RestAPI, "create_deployment")
def _snapshot_and_keep_stage(original: Any, self: RestAPI, name: str, description: str, stage_variables: Any = None) -> Any:
    summary = api_summary(self)
    existing = self.stages.get(name) if name else None
    deployment = original(self, name, description, stage_variables)
    deployment.gwctl_api_summary = summary
    if existing is not None:
        existing.deployment_id = deployment.id
        existing.variables.update(stage_variables or {})
        self.stages[name] = existing
    return deployment


def requested_embeds(response: Any) -> set[str]:
    """`embed` is a list: the SDKs repeat the parameter, AWS's docs also show comma-separated values."""
    values = response.querystring.get("embed") or []
    return {part.strip().lower() for value in values for part in value.split(",") if part.strip()}


@around(APIGatewayResponse, "get_deployment")
def _get_deployment(original: Any, self: Any) -> Any:
    parts = path_parts(self)
    api = self.backend.get_rest_api(parts[2])
    deployment = api.deployments.get(parts[4])
    if deployment is None:
        raise not_found("Invalid Deployment identifier specified")
    body = deployment.to_json()
    if "apisummary" in requested_embeds(self):
        body["apiSummary"] = getattr(deployment, "gwctl_api_summary", {})
    return json.dumps(body)

