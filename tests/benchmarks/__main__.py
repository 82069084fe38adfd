"""`python -m tests.benchmarks`: measure medjournal on a ten-year demo journal."""

from __future__ import annotations

import sys

from tests.benchmarks.run import main

sys.exit(main())
