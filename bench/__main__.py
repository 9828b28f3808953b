"""Benchmarks: `python -m bench` the turns side by side with two echo bots (bench/turns.py),
`python -m bench sync` the nightly sync at scale (bench/sync.py), `python -m bench national URL`
a national-size database (bench/national.py)."""

from __future__ import annotations

import sys

from bench import national, sync, turns

if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["sync"]:
        sys.exit(sync.main(sys.argv[2:]))
    elif command == ["national"]:
        national.main(sys.argv[2:])
    else:
        turns.run(sys.argv[1:])
