"""``python -m scada_twin`` is the ``scada-twin`` command."""

import sys

from .cli import main

sys.exit(main())
