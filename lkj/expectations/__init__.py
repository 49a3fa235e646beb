"""Audit checks over the normalised tables (great-expectations suites and custom rules)."""
