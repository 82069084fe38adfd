"""Plain data for one period or one moment, built once and rendered by every exporter."""
