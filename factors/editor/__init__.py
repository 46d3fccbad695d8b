"""The admins' framework editor: drafts, side-by-side bilingual editing, preview, diff, publish.

``diff`` is pure (no database); ``selectors`` reads, ``services`` writes (each write in one
transaction, logged in the framework's history); ``views`` only parse input and render.
"""
