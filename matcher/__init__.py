"""Graduate–job matching engine for public employment services."""

__version__ = "0.1.0"
