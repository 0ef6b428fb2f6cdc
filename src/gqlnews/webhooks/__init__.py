"""Signed webhooks: endpoints admins register, and the in-server dispatcher that turns the
outbox's events into deliveries and sends them (see docs/webhooks.md).

- :mod:`.addresses`: which URLs and addresses an endpoint may have (SSRF safety);
- :mod:`.endpoints`: registering, listing, removing and enabling endpoints;
- :mod:`.payloads`: the JSON body of an event (public fields only);
- :mod:`.fanout`: outbox events → deliveries, read by id after a stored cursor;
- :mod:`.sender`: one signed HTTP attempt to the checked address;
- :mod:`.dispatcher`: claiming due deliveries under a lease, retries, disabling.
"""
