"""What the extensions share: AWS-shaped errors, patching helpers, test-only routes, reset hooks, the clock.

Nothing here talks about one AWS operation; each module in extensions/ uses these to add or
fix one piece of API Gateway behaviour.
"""

import copy
import datetime
import functools
import json
import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.apigateway import urls as apigateway_urls
from moto.apigateway.models import apigateway_backends
from moto.apigateway.responses import APIGatewayResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal.models import MotoAPIBackend
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request, Response

# ---------------------------------------------------------------------------------------------
# Errors as API Gateway sends them: status, {"message": ...} and the x-amzn-ErrorType header,
# from which the AWS SDKs take the exception's name.


class AwsError(HTTPException):
    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(description=json.dumps({"message": message}))
        self.code = status
        self.error_type = error_type
        self.message = message

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json"), ("X-Amzn-ErrorType", self.error_type)]

    def get_body(self, *args: Any, **kwargs: Any) -> str:
        return self.description or ""


def bad_request(message: str) -> AwsError:
    return AwsError(400, "BadRequestException", message)


def not_found(message: str) -> AwsError:
    return AwsError(404, "NotFoundException", message)


def conflict(message: str) -> AwsError:
    return AwsError(409, "ConflictException", message)


def invalid_patch_path(op: dict[str, Any], allowed: list[str]) -> AwsError:
    """API Gateway's wording for a patch path it does not accept (seen in AWS's answers)."""
    return bad_request(f"Invalid patch path '{op.get('path')}' specified for op '{op.get('op')}'. Must be one of: [{', '.join(allowed)}]")


# ---------------------------------------------------------------------------------------------
# Patching moto.


def around(owner: Any, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Replaces owner.name by the decorated function, which receives the original first.

    Several extensions may wrap the same method; each sees the previous one as `original`.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        original = getattr(owner, name)

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(original, *args, **kwargs)

        setattr(owner, name, wrapper)
        return fn

    return decorate


def action(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Adds an API Gateway action moto does not implement.

    moto finds the action from the HTTP method and path in botocore's service model, then calls
    the method of that name (snake case) on its response class.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if hasattr(APIGatewayResponse, name):
            raise RuntimeError(f"moto already has {name}: wrap it with around() instead")
        setattr(APIGatewayResponse, name, fn)
        return fn

    return decorate


def route(pattern: str) -> None:
    """Makes moto's server send requests for this path (a regex, moto's style) to API Gateway."""
    apigateway_urls.url_paths[pattern] = APIGatewayResponse.dispatch


def path_parts(response: APIGatewayResponse) -> list[str]:
    """The request path split at '/', each part decoded: ['', 'restapis', ID, ...]."""
    return [unquote(p) for p in response.path.split("/")]


def query(response: APIGatewayResponse, name: str) -> str | None:
    values = response.querystring.get(name)
    return values[0] if values else None


def json_body(response: APIGatewayResponse) -> dict[str, Any]:
    if not response.body:
        return {}
    try:
        body = json.loads(response.body)
    except ValueError:
        raise bad_request("Invalid request body: not JSON")
    return body if isinstance(body, dict) else {}


def patch_operations(response: APIGatewayResponse) -> list[dict[str, Any]]:
    return json_body(response).get("patchOperations") or []


def unescape_pointer(segment: str) -> str:
    """A JSON Pointer segment: ~1 is '/', ~0 is '~'."""
    return segment.replace("~1", "/").replace("~0", "~")


def parse_bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"Invalid value '{value}' for {what}: expected true or false")


def parse_number(value: Any, what: str, kind: type) -> Any:
    """A patch value as the type AWS's model gives the field (patch values travel as strings)."""
    text = str(value).strip()
    if kind is int and not re.fullmatch(r"-?\d+", text):
        raise bad_request(f"Invalid value '{value}' for {what}: expected a whole number")
    try:
        number = kind(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise bad_request(f"Invalid value '{value}' for {what}: expected a number")
    return number


def transactional(obj: Any, apply: Callable[[Any], None]) -> None:
    """Applies a list of patch operations to a copy, and keeps the result only if all succeed:
    API Gateway applies an update's operations all or none."""
    draft = copy.deepcopy(obj.__dict__)
    try:
        apply(obj)
    except Exception:
        obj.__dict__.clear()
        obj.__dict__.update(draft)
        raise


def backend(region: str | None = None, account_id: str | None = None) -> Any:
    return apigateway_backends[account_id or DEFAULT_ACCOUNT_ID][region or "us-east-1"]


# ---------------------------------------------------------------------------------------------
# Reset: moto's POST /moto-api/reset clears its backends; extensions clear their own state here.

_reset_hooks: list[Callable[[], None]] = []


def on_reset(fn: Callable[[], None]) -> Callable[[], None]:
    _reset_hooks.append(fn)
    return fn


@around(MotoAPIBackend, "reset")
def _reset_everything(original: Callable[..., Any], self: Any) -> None:
    original(self)
    for hook in _reset_hooks:
        hook()


# ---------------------------------------------------------------------------------------------
# The clock. Usage and quota periods depend on today's date (UTC); tests may fix it.

_fixed_now: datetime.datetime | None = None


def now() -> datetime.datetime:
    return _fixed_now or datetime.datetime.now(datetime.timezone.utc)


def today() -> datetime.date:
    return now().date()


def set_clock(value: datetime.datetime | None) -> None:
    global _fixed_now
    _fixed_now = value


on_reset(lambda: set_clock(None))


# ---------------------------------------------------------------------------------------------
# Test-only routes under /_gwctl/: not AWS, never called by gwctl, only by tests to seed state
# that AWS builds over time (usage counters) and to read what the emulator holds.

TEST_PREFIX = "/_gwctl/"
_test_routes: list[tuple[str, re.Pattern[str], Callable[[Request, re.Match[str]], Any]]] = []


def test_route(method: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers a handler for METHOD /_gwctl/<path> (a regex); it returns (status, JSON value)."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        _test_routes.append((method, re.compile(f"^{re.escape(TEST_PREFIX)}{path}$"), fn))
        return fn

    return decorate


def handle_test_request(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    request = Request(environ)
    try:
        for method, pattern, handler in _test_routes:
            match = pattern.match(request.path)
            if match and request.method == method:
                status, body = handler(request, match)
                break
        else:
            raise not_found(f"No test route {request.method} {request.path}")
        response = Response(json.dumps(body), status=status, content_type="application/json")
    except HTTPException as error:  # AwsError, or moto's own errors such as a plan not found
        response = Response(error.get_body(), status=error.code, headers=dict(error.get_headers()))
    return response(environ, start_response)


def request_json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError:
        raise bad_request("The body must be JSON")
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object")
    return body


@test_route("GET", "clock")
def _get_clock(request: Request, match: re.Match[str]) -> tuple[int, Any]:
    return 200, {"now": now().isoformat().replace("+00:00", "Z"), "fixed": _fixed_now is not None}


@test_route("PUT", "clock")
def _put_clock(request: Request, match: re.Match[str]) -> tuple[int, Any]:
    value = request_json(request).get("now")
    if value is None:
        set_clock(None)
    else:
        try:
            parsed = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise bad_request(f"now: '{value}' is not an ISO date and time")
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.timezone.utc)
        set_clock(parsed.astimezone(datetime.timezone.utc))
    return _get_clock(request, match)
