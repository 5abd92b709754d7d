"""Answers Japanese questions about municipal collaboration plans, with citations."""

__version__ = "0.1.0"
