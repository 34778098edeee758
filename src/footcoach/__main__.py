"""`python -m footcoach` runs the command-line interface."""

from footcoach.cli.app import main

main()
