"""Use cases over the domain; they reach the outside world only through the ports."""
