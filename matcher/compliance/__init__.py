"""Keeping discriminatory and fraudulent postings out: the screener over rules kept as data
(``screen``, ``rules.toml``), its evaluation on labelled postings (``evaluate``) and the
fairness report on recommendations (``fairness``)."""
