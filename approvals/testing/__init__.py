"""Test support for the workflows: factories of their models, moving a channel along its real
path, and reading the links the workflows e-mail. Builds on `channels.testing`."""
