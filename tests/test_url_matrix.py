"""Every URL of the project names the permission it needs, or is knowingly public.

A new view cannot ship unguarded: its pattern appears here as unknown and fails.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Views open to everyone, by name, with the reason.
PUBLIC = {
    "home",  # the front page; signed-in people are sent to their own room
    "language_switch",  # anyone may choose a language
    "healthz",  # monitoring
    "ping",  # the load test's yardstick (docs/performance.md)
    "invitation_accept",  # holding a valid, unguessable link is the permission
    "factors:factor_detail",  # what a factor means is public knowledge
    "outcomes:answer",  # a signed, expiring, single-use follow-up link is the permission
    "outcomes:answered",  # the thank-you page after answering a follow-up
}
# Third-party URL trees with their own access rules.
EXTERNAL_PREFIXES = ("accounts/", "django-admin/")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry.callback


def project_views():
    for route, name, callback in _walk(get_resolver().url_patterns):
        if route.startswith(EXTERNAL_PREFIXES) or route.startswith("static/"):
            continue
        yield route, name, callback


def test_every_view_requires_an_action_or_is_listed_public():
    unguarded = [
        (route, name)
        for route, name, callback in project_views()
        if name not in PUBLIC and not getattr(callback, "required_action", None)
    ]
    assert unguarded == []


def test_public_list_has_no_stale_names():
    names = {name for _, name, _ in project_views()}
    assert names >= PUBLIC
