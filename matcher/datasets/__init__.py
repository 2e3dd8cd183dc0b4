"""Realistic generated Chongqing data for demos, tests and scale benchmarks.

``generate(out_dir, scale=N, seed=S)`` writes ``employers.jsonl``, ``positions.jsonl``,
``graduates.jsonl``, ``trainings.jsonl`` and ``compliance_labels.jsonl`` in the exchange
formats of DESIGN.md section 4. Postings cover 60+ job families across Chongqing's industries,
the 38 districts and counties (sometimes written as a functional zone or a division code), the
five position kinds, and about 1.5% planted discriminatory or fraudulent phrases plus 3%
harmless look-alikes whose ground truth is in ``compliance_labels.jsonl``."""

from matcher.datasets.generate import generate

__all__ = ["generate"]
