"""API keys are created at the emulator's clock, not the machine's.

AWS stamps createdDate when the key is created. moto stamps the machine's time; here it is the
emulator's now (harness.now(), which tests may fix), so that a test can create a key "ten days
ago" and then seed the usage of those ten days: gwctl measures a key's recent rate only from the
key's creation, and usage before it would not be real.
"""

from typing import Any

from moto.apigateway.models import ApiKey

import harness
from harness import around


@around(ApiKey, "__init__")
def _created_at_emulator_clock(original: Any, self: ApiKey, *args: Any, **kwargs: Any) -> None:
    original(self, *args, **kwargs)
    self.created_date = self.last_updated_date = int(harness.now().timestamp())
