"""Finding English left in French text (pages, emails): shared by the French checks."""

from __future__ import annotations

import re

# Common English words that are not French words: one of them in French text, once what
# people typed is taken out, is a string left untranslated.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|this|that|from|have|has|what|when|who|will|should|their|"
    r"there|which|about|would|been|these|those|here|yet|not|no one|of|for|to|is|are|was|"
    r"were|can|cannot|must|may|it|its|by|or|at|an|be|do|does|did|how|why|show|see|open|"
    r"save|send|back|next|none|all|choose|add|edit|new|view|link|help)\b"
)


def typed_data() -> list[str]:
    """What people typed or the test data named (names, businesses, roles, places):
    English anywhere, and not the interface's to translate. Longest first."""
    from accounts.models import Office, User
    from employers.models import JobRole, Organisation
    from factors.models import FrameworkVersion

    texts: list[str] = []
    for user in User.objects.all():
        texts += [user.full_name, user.email, user.display_name]
    texts += [o.name for o in Organisation.objects.all()]
    texts += [o.name for o in Office.objects.all()]
    texts += [v.note for v in FrameworkVersion.objects.all()]
    for role in JobRole.objects.all():
        texts += [role.title, role.duties, role.location]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def english_left(text: str, data: list[str]) -> list[str]:
    """Each line that still holds a common English word, around that word."""
    for typed in data:
        text = text.replace(typed, " ")
    text = re.sub(r"https?://\S+", " ", text)  # addresses are not prose
    found = []
    for line in text.splitlines():
        match = ENGLISH_WORDS.search(line)
        if match:
            start = max(0, match.start() - 50)
            found.append(f"{match.group(0)!r} in …{line[start : match.end() + 50].strip()}…")
    return found
