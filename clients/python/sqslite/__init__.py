"""Helpers for using sqslite from Python test suites (see ``sqslite.testing``)."""
