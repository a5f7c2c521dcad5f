"""``python -m kil_io`` runs the ``kil-io`` command."""

import sys

from kil_io.cli import main

sys.exit(main())
