"""The practitioners' workspace, one module per page family. Views parse input, call one
service or selector, and render; the rules live in ``services`` and ``access``."""
