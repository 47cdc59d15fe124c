"""Triage rules that need no framework: text normalisation, language, entities, urgency and the
topic classifier. The Django side (``postdesk.triage``) stores what these return and decides
what to do with it."""
