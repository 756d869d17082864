"""moto's server with gwctl's extensions to its API Gateway emulation (see README.md here).

    python3 test/moto/server.py -H 127.0.0.1 -p PORT

takes the same arguments as `python3 -m moto.server`. Every module in extensions/ is loaded
(in name order) before the server starts; each patches moto for one piece of behaviour.
With GWCTL_MOTO_PARENT_PID set, the server ends when that process does.
"""

import importlib
import os
import pkgutil
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import moto  # noqa: E402
import moto.server  # noqa: E402
from moto.moto_server.werkzeug_app import DomainDispatcherApplication  # noqa: E402

import extensions  # noqa: E402
import harness  # noqa: E402


def load_extensions() -> list[str]:
    names = sorted(m.name for m in pkgutil.iter_modules(extensions.__path__) if not m.name.startswith("_"))
    for name in names:
        importlib.import_module(f"extensions.{name}")
    return names


class ExtendedApplication(DomainDispatcherApplication):
    """moto's WSGI application, plus the test-only routes under /_gwctl/."""

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO", "").startswith(harness.TEST_PREFIX):
            return harness.handle_test_request(environ, start_response)
        return super().__call__(environ, start_response)


def exit_with_parent(parent_pid: int) -> None:
    """Ends the server when the process that started it is gone, even killed without a goodbye."""

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass

    threading.Thread(target=watch, daemon=True).start()


# The extensions wrap moto's internals as they are in 5.2; another version may have moved them.
WRITTEN_FOR = "5.2."

if __name__ == "__main__":
    if not moto.__version__.startswith(WRITTEN_FOR):
        print(f"gwctl moto extensions: written for moto {WRITTEN_FOR}x, found {moto.__version__}", file=sys.stderr, flush=True)
    if os.environ.get("GWCTL_MOTO_PARENT_PID"):
        exit_with_parent(int(os.environ["GWCTL_MOTO_PARENT_PID"]))
    loaded = load_extensions()
    print(f"gwctl moto extensions: {', '.join(loaded)}", file=sys.stderr, flush=True)
    moto.server.DomainDispatcherApplication = ExtendedApplication  # type: ignore[misc]
    moto.server.main(sys.argv[1:])
