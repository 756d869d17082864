"""CloudWatch Logs Insights results shaped as AWS returns them (moto's own Logs service otherwise).

- @timestamp is "YYYY-MM-DD HH:MM:SS.mmm" in UTC, as in AWS's GetQueryResults example
  (https://github.com/aws/aws-cli/blob/develop/awscli/examples/logs/get-query-results.rst);
  moto gave epoch milliseconds, which a reader written against moto would take and AWS never sends.
- Each row lists the requested fields in the query's order, then @ptr (moto put @ptr first).
- A query without `limit` returns at most 10,000 rows, AWS's default; moto returned every row.
- `statistics` (recordsMatched, recordsScanned, bytesScanned) is filled in: matched counts the
  rows before the limit, so a reader can tell a window that hit the limit.
moto's query language stays what it is: fields, sort (by @timestamp only) and limit; no filter,
parse or stats commands.
"""

import datetime
from typing import Any

from moto.logs import models as logs_models
from moto.logs.logs_query import _create_parsed_events
from moto.logs.logs_query.query_parser import parse_query

from harness import around

DEFAULT_LIMIT = 10_000


def aws_timestamp(epoch_ms: Any) -> str:
    moment = datetime.datetime.fromtimestamp(int(epoch_ms) / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


@around(logs_models.LogQuery, "__init__")
def _aws_shaped(original: Any, self: Any, query_id: str, start_time: int, end_time: int, query: str, log_groups: list[Any]) -> None:
    parsed = parse_query(query)
    limited = query if parsed.limit is not None else f"{query} | limit {DEFAULT_LIMIT}"
    original(self, query_id, start_time, end_time, limited, log_groups)
    self.query = query
    matched = _create_parsed_events(log_groups, parsed, start_time, end_time)
    self.gwctl_statistics = {
        "recordsMatched": float(len(matched)),
        "recordsScanned": float(len(matched)),
        "bytesScanned": float(sum(len(e.event.message.encode()) for e in matched)),
    }
    order = [f for f in parsed.fields if f != "@ptr"]
    rows = []
    for row in self.results:
        shaped = {field: row[field] for field in order if field in row}
        if "@timestamp" in shaped:
            shaped["@timestamp"] = aws_timestamp(shaped["@timestamp"])
        shaped["@ptr"] = row.get("@ptr")
        rows.append(shaped)
    self.results = rows


@around(logs_models.LogQuery, "to_result_json")
def _with_statistics(original: Any, self: Any) -> dict[str, Any]:
    body = original(self)
    body["statistics"] = getattr(self, "gwctl_statistics", {})
    return body
