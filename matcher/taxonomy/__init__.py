"""Catalogs: administrative divisions, GB/T 4754 industries, major catalogs, closed vocabularies."""
