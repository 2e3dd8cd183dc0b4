"""Offers: one offer under the bureau's rules (``single``), campaigns to a segment with
assignment under capacity (``campaigns``), and signed, retried webhook delivery from the
outbox (``delivery``)."""
