"""Offices and staff, for admins: create and rename offices, invite staff, deactivate accounts."""
