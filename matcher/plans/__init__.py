"""One person, one plan (一人一档、一人一策) for graduates who find it hardest to get work:
draft plans built for a cohort under capacity (:mod:`.build`, :mod:`.assign`), their lifecycle
and history (:mod:`.edit`), background generation jobs (:mod:`.jobs`) and the dashboard
figures (:mod:`.dashboard`)."""
