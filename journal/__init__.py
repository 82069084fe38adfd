"""medjournal: a private, offline journal for a daily injection and every other medicine."""

__version__ = "0.1.0"
