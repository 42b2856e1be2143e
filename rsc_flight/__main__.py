"""``python -m rsc_flight`` runs the ``rsc-flight`` command."""

from .cli.main import main

raise SystemExit(main())
