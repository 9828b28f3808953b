"""The long fuzzing run of /api/messages: the hypothesis tests of tests/bot/test_fuzz_messages.py
with many more examples. Usage: python -m bench.fuzz [EXAMPLES] (default 20000)."""

from __future__ import annotations

import os
import sys

import pytest


def main(argv: list[str]) -> int:
    os.environ["FUZZ_EXAMPLES"] = argv[0] if argv else "20000"
    return pytest.main(["-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
                        "tests/bot/test_fuzz_messages.py"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
