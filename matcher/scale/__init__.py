"""Scale-out over a Ray cluster: a campaign's ranking spread over Ray workers
(:mod:`matcher.scale.ranking`). Ray itself is imported only in :mod:`matcher.scale.cluster`;
without ``MATCHER_RAY_ADDRESS`` (or ``--ray``) nothing here is used."""
