"""Test support for the base layer: factories and helpers that the tests of every app share.

Nothing here is a test, and no production module imports it. Like the rest of `core`, it
imports nothing from the apps above; each app's own `testing` package builds on this one.
"""
