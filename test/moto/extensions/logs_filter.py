"""CloudWatch Logs FilterLogEvents interleaves every log stream in time order, as AWS has since June 2019.

AWS ignores the deprecated `interleaved` parameter and sorts the events of all streams by
timestamp ([FilterLogEvents](https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html));
moto sorted only when the request said `interleaved: true`, and otherwise returned one stream after another.
"""

from typing import Any

from moto.logs import models as logs_models

from harness import around


@around(logs_models.LogGroup, "filter_log_events")
def _always_interleaved(original: Any, self: Any, *args: Any) -> Any:
    *rest, _interleaved = args
    return original(self, *rest, True)
