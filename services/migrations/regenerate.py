"""Development only: rewrite the initial migration from the models (nothing is deployed yet).

Run as `make migration`. Once a release is deployed, add new revisions instead.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from services.db import MIGRATIONS, _alembic_config

INITIAL = MIGRATIONS / "versions" / "0001_initial_schema.py"


def main() -> int:
    INITIAL.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        config = _alembic_config(f"sqlite+aiosqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(config, message="initial schema", autogenerate=True, rev_id="0001")
    return 0


if __name__ == "__main__":
    sys.exit(main())
