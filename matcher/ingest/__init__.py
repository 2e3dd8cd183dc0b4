"""Streaming ingestion of JSONL and CSV files (``files``: per-line errors, parallel preparation
and screening) and the generated demo loaded through it (``demo``)."""
