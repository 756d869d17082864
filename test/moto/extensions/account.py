"""UpdateAccount: the paths AWS accepts, checked; moto failed with HTTP 500 on any other path.

- replace /cloudwatchRoleArn with an IAM role ARN (or an empty value to clear it): the role
  API Gateway assumes to write logs; access logging to CloudWatch Logs needs it (stages.py).
  AWS also checks that it can assume the role; here any well-formed role ARN is accepted.
- add|remove /features (e.g. UsagePlans): as moto has it.
GetAccount is moto's: cloudwatchRoleArn, throttleSettings (10000 requests per second, burst
5000: AWS's default account limits), apiKeyVersion.
"""

import re
from typing import Any

from moto.apigateway.models import Account

import harness
from harness import around, bad_request

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
PATHS = ["/cloudwatchRoleArn", "/features"]


@around(Account, "apply_patch_operations")
def _checked(original: Any, self: Account, patch_operations: list[dict[str, Any]]) -> Account:
    for op in patch_operations:
        path = op.get("path")
        if path == "/cloudwatchRoleArn":
            if op.get("op") != "replace":
                raise harness.invalid_patch_path(op, PATHS)
            value = op.get("value") or None
            if value is not None and not ROLE_ARN.match(value):
                raise bad_request(f"The role ARN {value} is not valid: expected arn:aws:iam::ACCOUNT:role/NAME")
            op["value"] = value
        elif path == "/features":
            if op.get("op") not in ("add", "remove"):
                raise harness.invalid_patch_path(op, PATHS)
        else:
            raise harness.invalid_patch_path(op, PATHS)
    harness.transactional(self, lambda account: original(account, patch_operations))
    return self
