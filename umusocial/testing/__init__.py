"""Test support for the portal as a whole: driving its pages in a real browser."""
