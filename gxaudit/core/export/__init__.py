"""Exports of a checked report: JSON (the CLI contract), later xlsx and PDF."""
