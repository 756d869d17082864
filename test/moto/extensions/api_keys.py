"""API keys: ImportApiKeys, a complete UpdateApiKey, and GetApiKeys' customerId filter.

ImportApiKeys (POST /apikeys?mode=import&format=csv[&failonwarnings=true]) reads AWS's API key
file format (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html):
Name and Key columns required, Description, Enabled and UsagePlanIds optional; header names in
any case and order; unknown columns ignored; empty cells default to "" or true; several plan ids
in one cell quoted with " or '; a key value already in the account is overwritten (same id).
A row that cannot be imported is skipped with a warning; with failonwarnings=true any warning
fails the whole import (400) and nothing is created. moto sent this request to CreateApiKey and
failed with HTTP 500.
"""

import json
import time
from typing import Any

from moto.apigateway.models import ApiKey
from moto.apigateway.responses import APIGatewayResponse

import harness
from harness import around, bad_request, query

KEY_MIN, KEY_MAX, NAME_MAX = 20, 128, 1024


class CsvError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")


def csv_rows(text: str) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on. A cell may be quoted with " ("" inside is a quote) or,
    as AWS's key file format allows for UsagePlanIds, with '."""
    rows: list[tuple[int, list[str]]] = []
    text = text.lstrip("\ufeff")
    i, n, line = 0, len(text), 1
    while i < n:
        start_line, fields = line, []
        while True:
            j = i
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j] in "\"'":
                quote, i, cell = text[j], j + 1, []
                while True:
                    if i >= n:
                        raise CsvError(start_line, f"a cell opened with {quote} is never closed")
                    c = text[i]
                    if c == quote:
                        if quote == '"' and text[i + 1 : i + 2] == '"':
                            cell.append('"')
                            i += 2
                            continue
                        i += 1
                        break
                    if c == "\n":
                        line += 1
                    cell.append(c)
                    i += 1
                while i < n and text[i] in " \t":
                    i += 1
                if i < n and text[i] not in ",\r\n":
                    raise CsvError(line, "text after a closing quote")
                fields.append("".join(cell))
            else:
                while i < n and text[i] not in ",\r\n":
                    i += 1
                fields.append(text[j:i].strip())
            if i < n and text[i] == ",":
                i += 1
                continue
            if text[i : i + 2] == "\r\n":
                i += 2
            elif i < n:
                i += 1
            line += 1
            break
        if any(fields):
            rows.append((start_line, fields))
    return rows


def read_rows(backend: Any, text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows to import and the warnings for the rows that cannot be."""
    try:
        rows = csv_rows(text)
    except CsvError as error:
        raise bad_request(f"Invalid API key file: {error}")
    if not rows:
        raise bad_request("Invalid API key file: it is empty")
    _, header = rows[0]
    columns = {name.strip().lower(): index for index, name in reversed(list(enumerate(header)))}
    missing = [name for name in ("name", "key") if name not in columns]
    if missing:
        raise bad_request(f"Invalid API key file: the header has no {' and no '.join(c.capitalize() for c in missing)} column")

    entries, warnings = [], []
    for line, cells in rows[1:]:

        def cell(column: str) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        problems = []
        value, name = cell("key"), cell("name")
        if not KEY_MIN <= len(value) <= KEY_MAX:
            problems.append(f"the Key value must be {KEY_MIN} to {KEY_MAX} characters long (it has {len(value)})")
        if not name:
            problems.append("the Name is empty")
        elif len(name) > NAME_MAX:
            problems.append(f"the Name is longer than {NAME_MAX} characters")
        enabled_text = cell("enabled")
        if enabled_text and enabled_text.lower() not in ("true", "false"):
            problems.append(f"Enabled must be true or false, not '{enabled_text}'")
        plan_ids = [p.strip() for p in cell("usageplanids").split(",") if p.strip()]
        unknown = [p for p in plan_ids if p not in backend.usage_plans]
        if unknown:
            problems.append(f"Invalid Usage Plan ID specified: {', '.join(unknown)}")
        if problems:
            warnings.append(f"Line {line}: API key {name or '(no name)'} not imported: {'; '.join(problems)}")
            continue
        entries.append(
            {
                "name": name,
                "value": value,
                "description": cell("description"),
                "enabled": enabled_text.lower() != "false",
                "usagePlanIds": list(dict.fromkeys(plan_ids)),
            }
        )
    return entries, warnings


def import_entry(backend: Any, entry: dict[str, Any]) -> str:
    existing = next((k for k in backend.keys.values() if k.value == entry["value"]), None)
    if existing is None:
        key = backend.create_api_key({k: entry[k] for k in ("name", "value", "description", "enabled")})
    else:
        key = existing
        key.name, key.description, key.enabled = entry["name"], entry["description"], entry["enabled"]
        key.last_updated_date = int(time.time())
    for plan_id in entry["usagePlanIds"]:
        if key.id not in backend.usage_plan_keys.get(plan_id, {}):
            backend.create_usage_plan_key(plan_id, {"keyId": key.id, "keyType": "API_KEY"})
    return key.id


def import_api_keys(self: Any) -> tuple[int, dict[str, Any], str]:
    file_format = query(self, "format")
    if (file_format or "").lower() != "csv":
        raise bad_request(f"Invalid format '{file_format}': API Gateway imports API keys only from csv")
    fail_on_warnings = harness.parse_bool(query(self, "failonwarnings") or "false", "failonwarnings")
    body = self.body.decode("utf-8") if isinstance(self.body, bytes) else (self.body or "")
    entries, warnings = read_rows(self.backend, body)
    if warnings and fail_on_warnings:
        raise bad_request(f"Nothing was imported: failonwarnings is set and the file has {len(warnings)} warning(s): {' '.join(warnings)}")
    ids = [import_entry(self.backend, entry) for entry in entries]
    return 201, {"status": 201}, json.dumps({"ids": ids, "warnings": warnings})


@around(APIGatewayResponse, "create_api_key")
def _create_or_import(original: Any, self: Any) -> Any:
    if query(self, "mode") == "import":
        return import_api_keys(self)
    return original(self)


# ---------------------------------------------------------------------------------------------
# UpdateApiKey: moto matched paths by substring, ignored unknown ones and failed with HTTP 500
# on any op other than replace; it did not update lastUpdatedDate.

KEY_PATHS = ["/name", "/description", "/customerId", "/enabled", "/stages"]


def apply_key_patch(key: ApiKey, operations: list[dict[str, Any]]) -> None:
    """AWS's table (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html):
    replace /name, /description, /customerId, /enabled; add|remove /stages (API_ID/STAGE, the
    stage keys of API keys used without usage plans)."""
    for op in operations:
        kind, path, value = op.get("op"), op.get("path"), op.get("value")
        if path == "/stages" and kind in ("add", "remove"):
            api_id, _, stage = str(value or "").partition("/")
            if not api_id or not stage:
                raise bad_request(f"Invalid stage key '{value}': expected API_ID/STAGE_NAME")
            if kind == "add" and value not in key.stage_keys:
                key.stage_keys.append(value)
            elif kind == "remove" and value in key.stage_keys:
                key.stage_keys.remove(value)
            continue
        if kind != "replace" or path not in KEY_PATHS[:4]:
            raise harness.invalid_patch_path(op, KEY_PATHS)
        if path == "/name":
            if not value:
                raise bad_request("The API key name must not be empty")
            key.name = value
        elif path == "/description":
            key.description = value
        elif path == "/customerId":
            key.customer_id = value
        elif path == "/enabled":
            key.enabled = harness.parse_bool(value, path)
    key.last_updated_date = int(time.time())


@around(ApiKey, "update_operations")
def _update_key(original: Any, self: ApiKey, patch_operations: list[dict[str, Any]]) -> ApiKey:
    harness.transactional(self, lambda key: apply_key_patch(key, patch_operations))
    return self


@around(APIGatewayResponse, "get_api_keys")
def _filter_by_customer(original: Any, self: Any) -> str:
    body = json.loads(original(self))
    customer_id = query(self, "customerId")
    if customer_id is not None:
        body["item"] = [k for k in body["item"] if k.get("customerId") == customer_id]
    return json.dumps(body)
