"""Running a piece of a test in a child of ``os.fork()``, as gunicorn's or celery's workers run."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from typing import Any


def in_forked_child(work: Callable[[], Any]) -> Any:
    """``work()`` run in a forked child; its result, which must be JSON, comes back here.

    The child leaves with ``os._exit``, without the parent's cleanup (pytest's, the server's).
    An exception in the child, or a child that dies, fails here.
    """
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork() with threads running
        child = os.fork()
    if child == 0:
        status = 1
        try:
            os.write(write_end, json.dumps(work()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    _, status = os.waitpid(child, 0)
    with os.fdopen(read_end, "rb") as pipe:
        reported = pipe.read()
    assert os.waitstatus_to_exitcode(status) == 0, "the forked child failed"
    return json.loads(reported)
