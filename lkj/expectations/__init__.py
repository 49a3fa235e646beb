"""Audit checks over the normalised tables (great-expectations suites and custom rules):
frames in, findings out. Nothing here reads a PDF or writes a file."""
