"""Reporters: pure functions of a Result (text, json, sarif, github, html)."""
