"""Helpers for the test suites: twin plants on private loopback addresses, ansible runs."""
