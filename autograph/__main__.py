"""`python -m autograph convert FILE`: see autograph/cli.py."""

import sys

from autograph.cli import main

sys.exit(main())
