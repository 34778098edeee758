"""Implementations of the services' ports: files, databases, exports."""
