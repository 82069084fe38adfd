"""Renderers: each turns one summary object into one format, never querying the journal."""
