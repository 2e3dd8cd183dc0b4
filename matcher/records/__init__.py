"""Records coming in: the exchange formats (``schema``), validation and normalisation into
canonical records with a content hash (``prepare``), and conversion to domain types
(``domain``)."""
