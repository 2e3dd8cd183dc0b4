"""Indexes over the postings and profiles: the vector index (``vectors``, the only faiss
importer) with its row keys (``rowkeys``) and atomic files (``files``), and the lexical index
(``lexical``, BM25)."""
