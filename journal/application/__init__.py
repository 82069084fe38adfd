"""The application layer: the use cases the command line and the TUI share.

Each reads through the store, asks the care rules, and writes through the store.
"""
