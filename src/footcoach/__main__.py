"""`python -m footcoach` runs the command-line interface."""

from footcoach.cli.quick import main

main()
