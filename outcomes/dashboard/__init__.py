"""The program dashboard: funnel, retention by fit at hire, leaving reasons, mindset change.

Every number is aggregated in the database (``queries``); small cells are suppressed
before anything is shown or exported (``tables``). Definitions: docs/outcomes.md.
"""
