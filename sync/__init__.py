"""Replication of the event log between kiosk, counter and district server.

``replica`` (what to send, how to apply what arrives), ``validate`` (hostile input),
``auth`` (enrolment keys and signed requests), ``server``/``client`` (HTTP + JSON + gzip),
``snapshot`` (bootstrap), ``discovery`` (zeroconf), ``daemon`` (the background service).
"""
