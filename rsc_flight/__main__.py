"""``python -m rsc_flight`` runs the ``rsc-flight`` command."""

from .cli import main

raise SystemExit(main())
