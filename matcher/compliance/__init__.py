"""Keeping discriminatory and fraudulent postings out: text normalised as the rules read it
(``normalise``), the screener over rules kept as data (``screen``, ``rules.toml``), its evaluation
on labelled postings (``evaluate``), and a classifier that only suggests postings for review
(``classifier``, ``second_opinion``)."""
