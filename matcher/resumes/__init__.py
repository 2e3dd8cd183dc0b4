"""Résumé intake: a PDF, DOCX or pasted résumé → a profile draft the graduate confirms
(:mod:`matcher.resumes.parse` gives a :class:`~matcher.resumes.draft.ResumeDraft`). Protected
traits are dropped before any field is read; files that cannot be read raise
:class:`~matcher.errors.UnreadableFileError` with a Chinese message. Nothing is imported here, so
that loading the draft type does not load the PDF and Word readers."""
