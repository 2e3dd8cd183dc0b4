"""Measuring match quality: ranking metrics, relevance judgements and the evaluation of the
engine, BM25 and the encoder (``evaluate``), and the development sets built from data with
judgements (``evalset``)."""
