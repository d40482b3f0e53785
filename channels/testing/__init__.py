"""Test support for the registry: factories of its models. Builds on `core.testing`."""
