"""Reads for the practitioners' workspace, one module per page family."""
