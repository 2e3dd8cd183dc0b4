"""Scale-out over a Ray cluster: a campaign's ranking (:mod:`matcher.scale.ranking`) and the
encoding of a large index build (:mod:`matcher.scale.building`) spread over Ray workers.
Ray itself is imported only in :mod:`matcher.scale.cluster`; without ``MATCHER_RAY_ADDRESS``
(or ``--ray``) nothing here is used."""
