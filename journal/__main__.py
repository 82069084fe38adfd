"""`python -m journal` does what `medjournal` does."""

from journal.cli import main

main()
