"""`python -m passport_ocr.tools.cli`: the `passport-ocr` command."""

from passport_ocr.tools.cli import main

raise SystemExit(main())
