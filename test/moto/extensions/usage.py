"""GetUsage and UpdateUsage, which moto's server does not route, and test-only usage seeding.

AWS counts each API key's requests per day. GetUsage reports, for each day of the range, the
requests used that day and the quota remaining at the end of it; UpdateUsage sets the quota
remaining in the current period (AWS's "temporary extension"). Nothing calls the API here, so
tests seed the daily counts through POST /_gwctl/usage.
"""

import base64
import binascii
import datetime
import json
import re
from typing import Any

from moto.apigateway.models import UsagePlan
from werkzeug.wrappers import Request

import harness
from harness import action, around, bad_request, not_found, path_parts, query, route

route(r"{0}/usageplans/(?P<usage_plan_id>[^/]+)/usage$")
route(r"{0}/usageplans/(?P<usage_plan_id>[^/]+)/keys/(?P<api_key_id>[^/]+)/usage$")

DEFAULT_LIMIT = 25
MAX_LIMIT = 500


@around(UsagePlan, "__init__")
def _with_usage(original: Any, self: UsagePlan, *args: Any, **kwargs: Any) -> None:
    original(self, *args, **kwargs)
    # Daily requests per key: {key id: {date: count}}.
    self.gwctl_used: dict[str, dict[datetime.date, int]] = {}
    # UpdateUsage grants per key, in the order made: (period start, made on, requests added).
    self.gwctl_grants: dict[str, list[tuple[datetime.date, datetime.date, int]]] = {}
    # The quota offset applies to the plan's first period only.
    self.gwctl_created = harness.today()


def period_bounds(day: datetime.date, period: str) -> tuple[datetime.date, datetime.date]:
    """The quota period holding `day`, in UTC: a calendar day, a week from Sunday, a calendar month."""
    if period == "DAY":
        return day, day
    if period == "WEEK":
        start = day - datetime.timedelta(days=(day.weekday() + 1) % 7)
        return start, start + datetime.timedelta(days=6)
    start = day.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    return start, end


def days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]


def parse_date(value: str | None, name: str) -> datetime.date:
    if not value:
        raise bad_request(f"{name} is required (YYYY-MM-DD)")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"Invalid {name} '{value}': expected YYYY-MM-DD")


class Meter:
    """Used and remaining requests of one key in one plan, day by day."""

    def __init__(self, plan: UsagePlan, key_id: str):
        self.plan = plan
        self.used = plan.gwctl_used.get(key_id, {})
        self.grants = plan.gwctl_grants.get(key_id, [])
        quota = plan.quota or {}
        self.period = quota.get("period") if quota.get("limit") is not None else None

    def allowance(self, period_start: datetime.date) -> int:
        quota = self.plan.quota
        first = period_bounds(self.plan.gwctl_created, self.period)[0] == period_start
        return int(quota["limit"]) - (int(quota.get("offset") or 0) if first else 0)

    def grant(self, period_start: datetime.date, day: datetime.date) -> int:
        made = [added for start, on, added in self.grants if start == period_start and on <= day]
        return made[-1] if made else 0

    def used_in_period_until(self, day: datetime.date) -> int:
        start, _ = period_bounds(day, self.period)
        return sum(self.used.get(d, 0) for d in days(start, day))

    def remaining(self, day: datetime.date, used_in_period: int) -> int:
        """Without a quota there is nothing remaining to report: 0 (AWS's answer is not documented)."""
        if self.period is None:
            return 0
        start, _ = period_bounds(day, self.period)
        return max(0, self.allowance(start) - used_in_period + self.grant(start, day))

    def daily(self, start: datetime.date, end: datetime.date) -> list[list[int]]:
        pairs = []
        period_start, in_period = None, 0
        for day in days(start, end):
            used = self.used.get(day, 0)
            if self.period is None:
                pairs.append([used, 0])
                continue
            if period_bounds(day, self.period)[0] != period_start:
                period_start = period_bounds(day, self.period)[0]
                in_period = self.used_in_period_until(day - datetime.timedelta(days=1)) if day != period_start else 0
            in_period += used
            pairs.append([used, self.remaining(day, in_period)])
        return pairs


def encode_position(key_id: str) -> str:
    return base64.urlsafe_b64encode(key_id.encode()).decode()


def decode_position(position: str) -> str:
    try:
        return base64.urlsafe_b64decode(position.encode()).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise bad_request(f"Invalid position '{position}'")


def plan_members(backend: Any, plan_id: str) -> list[str]:
    return sorted(backend.usage_plan_keys.get(plan_id, {}).keys())


def member_or_404(backend: Any, plan: UsagePlan, key_id: str) -> None:
    backend.get_api_key(key_id)  # 404 for a key that does not exist
    if key_id not in backend.usage_plan_keys.get(plan.id, {}):
        raise not_found(f"API Key {key_id} is not in Usage Plan {plan.id}")


def usage_body(plan: UsagePlan, start: datetime.date, end: datetime.date, key_ids: list[str]) -> dict[str, Any]:
    return {
        "usagePlanId": plan.id,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "values": {key_id: Meter(plan, key_id).daily(start, end) for key_id in key_ids},
    }


@action("get_usage")
def get_usage(self: Any) -> tuple[int, dict[str, str], str]:
    """GET /usageplans/{id}/usage?startDate&endDate[&keyId][&limit][&position]

    Both dates are required and the range includes both. The page lists the plan's keys (all of
    them, used or not) in key id order; `position` continues after the last key of a page.
    """
    plan = self.backend.get_usage_plan(path_parts(self)[2])
    start = parse_date(query(self, "startDate"), "startDate")
    end = parse_date(query(self, "endDate"), "endDate")
    if start > end:
        raise bad_request(f"startDate {start} is after endDate {end}")
    limit_text = query(self, "limit")
    limit = DEFAULT_LIMIT
    if limit_text is not None:
        limit = harness.parse_number(limit_text, "limit", int)
        if limit < 1:
            raise bad_request(f"Invalid limit {limit}: must be at least 1")
        limit = min(limit, MAX_LIMIT)

    key_ids = plan_members(self.backend, plan.id)
    key_filter = query(self, "keyId")
    if key_filter:
        self.backend.get_api_key(key_filter)  # 404 for a key that does not exist
        key_ids = [k for k in key_ids if k == key_filter]
    position = query(self, "position")
    if position:
        after = decode_position(position)
        key_ids = [k for k in key_ids if k > after]

    page = key_ids[:limit]
    body = usage_body(plan, start, end, page)
    if len(key_ids) > limit:
        body["position"] = encode_position(page[-1])
    return 200, {}, json.dumps(body)


@action("update_usage")
def update_usage(self: Any) -> tuple[int, dict[str, str], str]:
    """PATCH /usageplans/{id}/keys/{keyId}/usage with `replace /remaining N`: the key has N requests
    left in the current period. Answers with the key's usage from the period's start to today."""
    parts = path_parts(self)
    plan = self.backend.get_usage_plan(parts[2])
    key_id = parts[4]
    member_or_404(self.backend, plan, key_id)
    meter = Meter(plan, key_id)
    if meter.period is None:
        raise bad_request(f"Usage Plan {plan.id} has no quota: there is no remaining quota to change")
    operations = harness.patch_operations(self)
    if not operations:
        raise bad_request("No patch operations specified")
    today = harness.today()
    period_start, _ = period_bounds(today, meter.period)
    for op in operations:
        if op.get("op") != "replace" or op.get("path") != "/remaining":
            raise harness.invalid_patch_path(op, ["/remaining"])
        remaining = harness.parse_number(op.get("value"), "/remaining", int)
        if remaining < 0:
            raise bad_request(f"Invalid value {remaining} for /remaining: must not be negative")
        without_grant = meter.allowance(period_start) - meter.used_in_period_until(today)
        plan.gwctl_grants.setdefault(key_id, []).append((period_start, today, remaining - without_grant))
    return 200, {}, json.dumps(usage_body(plan, period_start, today, [key_id]))


# ---------------------------------------------------------------------------------------------
# Test-only: seed and read the counters.


def plan_for(request: Request, plan_id: Any) -> Any:
    if not plan_id:
        raise bad_request("usagePlanId is required")
    region = request.args.get("region") or None
    backend = harness.backend(region)
    return backend, backend.get_usage_plan(str(plan_id))


def state_of(plan: UsagePlan) -> dict[str, Any]:
    return {
        "usagePlanId": plan.id,
        "createdDate": plan.gwctl_created.isoformat(),
        "used": {k: {d.isoformat(): n for d, n in sorted(v.items())} for k, v in sorted(plan.gwctl_used.items())},
        "grants": {
            k: [{"periodStart": start.isoformat(), "madeOn": on.isoformat(), "requestsAdded": added} for start, on, added in v]
            for k, v in sorted(plan.gwctl_grants.items())
        },
    }


@harness.test_route("POST", "usage")
def seed_usage(request: Request, match: Any) -> tuple[int, Any]:
    """{"usagePlanId", "keyId", "days": {"YYYY-MM-DD": requests}}: sets those days' counts."""
    body = harness.request_json(request)
    backend, plan = plan_for(request, body.get("usagePlanId"))
    key_id = body.get("keyId")
    if not key_id:
        raise bad_request("keyId is required")
    if key_id not in backend.usage_plan_keys.get(plan.id, {}):
        raise bad_request(f"API Key {key_id} is not in Usage Plan {plan.id}: AWS meters only a plan's keys")
    counts = body.get("days")
    if not isinstance(counts, dict) or not counts:
        raise bad_request('days is required: {"YYYY-MM-DD": requests, ...}')
    parsed = {}
    for day, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise bad_request(f"days[{day}]: {count!r} is not a count of requests")
        parsed[parse_date(day, f"days[{day}]")] = count
    plan.gwctl_used.setdefault(key_id, {}).update(parsed)
    return 200, state_of(plan)


@harness.test_route("GET", "usage")
def read_usage(request: Request, match: Any) -> tuple[int, Any]:
    """?usagePlanId=ID[&region=R]: the counters and grants the plan holds."""
    _, plan = plan_for(request, request.args.get("usagePlanId"))
    return 200, state_of(plan)
