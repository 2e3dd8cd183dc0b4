"""HTTP API (FastAPI) over the matching engine and the talent-pool store."""
