"""The employer's room: always their own organisation, never another's.

Every view starts from ``organisation_of(user=request.user)`` and fetches roles through
that organisation, so an employer cannot address another business by any id.
"""
