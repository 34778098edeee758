"""The terminal face of footcoach."""
