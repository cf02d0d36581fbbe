"""`python -m qda_app.cli` runs the `qda` command."""

import sys

from qda_app.cli import main

sys.exit(main())
