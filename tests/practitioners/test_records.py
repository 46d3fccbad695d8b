"""A client's record: who can read it, who can change it, notes, the action plan, delivery."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from factors.delivery import DeliveryMethod
from practitioners.models import Goal, Note, NoteKind, Step, StepOwner
from tests.practitioners.conftest import queries_for, record_url

pytestmark = pytest.mark.django_db


def _url(name, client, *extra):
    segment = "seekers" if hasattr(client, "user") else "employers"
    return reverse(f"practitioners:{name}", args=[segment, client.pk, *extra])


def _note(**overrides):
    data = {
        "kind": NoteKind.PHONE,
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "20",
        "text": "Talked about evening shifts and the bus schedule.",
    }
    data.update(overrides)
    return data


# --- Reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seeker", "organisation"])
def test_owner_sees_an_editable_record(cast, which):
    client_obj = getattr(cast, which)
    html = cast.client_for(cast.practitioner).get(record_url(client_obj)).content.decode()
    assert "Add a note" in html and "Add the goal" in html and "Refer to a colleague" in html
    assert "You can read this record" not in html


@pytest.mark.parametrize("which", ["seeker", "organisation"])
def test_office_colleague_reads_but_sees_no_change_actions(cast, colleague, which):
    client_obj = getattr(cast, which)
    response = cast.client_for(colleague).get(record_url(client_obj))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You can read this record" in html
    assert "Add a note" not in html and "Refer to a colleague" not in html
    assert 'method="post" action="/caseload/' not in html


@pytest.mark.parametrize("which", ["seeker", "organisation"])
def test_other_office_gets_404(cast, which):
    client_obj = getattr(cast, which)
    assert cast.client_for(cast.practitioner2).get(record_url(client_obj)).status_code == 404


def test_admin_sees_and_may_change_every_record(cast):
    client = cast.client_for(cast.admin)
    for client_obj in (cast.seeker, cast.seeker2, cast.organisation, cast.organisation2):
        html = client.get(record_url(client_obj)).content.decode()
        assert "Add a note" in html


def test_employer_record_lists_people_at_the_business(cast):
    html = cast.client_for(cast.practitioner).get(record_url(cast.organisation)).content.decode()
    assert cast.employer.email in html and "Harbour Café" in html


def test_profile_summary_shows_progress_and_strong_answers(cast):
    from factors.models import Item
    from factors.scales import Direction
    from seekers.models import Answer
    from seekers.services import welcome_accept

    need = Item.objects.filter(direction=Direction.WORKER_NEEDS).order_by("pk").first()
    Answer.objects.create(seeker=cast.seeker, item=need, level=3, dealbreaker=True)
    client = cast.client_for(cast.practitioner)
    html = client.get(record_url(cast.seeker)).content.decode()
    assert "0 of the six activities done" in html
    assert "not agreed to share their answers" in html
    assert str(need.worker_text) not in html
    welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    html = client.get(record_url(cast.seeker)).content.decode()
    assert "Would push them away if missing" in html and str(need.worker_text) in html


def test_record_query_count_does_not_grow_with_history(cast):
    client = cast.client_for(cast.practitioner)
    url = record_url(cast.organisation)

    def add_history(count):
        for n in range(count):
            Note.objects.create(
                organisation=cast.organisation,
                author=cast.practitioner,
                kind=NoteKind.EMAIL,
                occurred_on=timezone.localdate(),
                text=f"note {n}",
            )
            goal = Goal.objects.create(organisation=cast.organisation, title=f"goal {n}")
            Step.objects.create(goal=goal, text="call", owner=StepOwner.PRACTITIONER)

    add_history(1)
    small = queries_for(client, url)
    add_history(30)
    assert queries_for(client, url) == small


# --- Changes refused ----------------------------------------------------------------------


@pytest.mark.parametrize("which", ["seeker", "organisation"])
def test_office_colleague_cannot_change_anything(cast, colleague, which):
    client_obj = getattr(cast, which)
    goal = Goal.objects.create(**{which: client_obj}, title="Find work")
    step = Step.objects.create(goal=goal, text="CV", owner=StepOwner.CLIENT)
    client = cast.client_for(colleague)
    posts = {
        _url("note_add", client_obj): _note(),
        _url("goal_add", client_obj): {"title": "x"},
        _url("step_add", client_obj, goal.pk): {f"goal{goal.pk}-text": "x", "owner": "client"},
        _url("step_toggle", client_obj, step.pk): {"done": "1"},
        _url("delivery_update", client_obj): {"delivery_method": DeliveryMethod.GROUP},
        _url("referral_create", client_obj): {"reason": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    assert client.get(_url("note_add", client_obj)).status_code == 403
    assert client.get(_url("referral_create", client_obj)).status_code == 403
    assert not Note.objects.exists() and Goal.objects.count() == 1
    step.refresh_from_db()
    client_obj.refresh_from_db()
    assert step.done_at is None and client_obj.delivery_method == DeliveryMethod.SELF_SERVE


def test_stranger_changes_are_404(cast):
    client = cast.client_for(cast.practitioner2)
    assert client.post(_url("note_add", cast.seeker), _note()).status_code == 404
    assert client.post(_url("goal_add", cast.organisation), {"title": "x"}).status_code == 404
    assert not Note.objects.exists() and not Goal.objects.exists()


# --- Notes --------------------------------------------------------------------------------


def test_add_a_note_and_see_it_on_the_timeline(cast):
    client = cast.client_for(cast.practitioner)
    response = client.post(_url("note_add", cast.seeker), _note())
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    note = Note.objects.get()
    assert note.seeker == cast.seeker and note.author == cast.practitioner
    html = client.get(record_url(cast.seeker)).content.decode()
    assert "evening shifts" in html and "20 minutes" in html and "Phone" in html


def test_double_submit_saves_one_note(cast):
    client = cast.client_for(cast.practitioner)
    client.post(_url("note_add", cast.seeker), _note())
    client.post(_url("note_add", cast.seeker), _note())
    assert Note.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"text": ""},
        {"text": "x" * 5001},
        {"kind": "telepathy"},
        {"occurred_on": "not-a-date"},
        {"occurred_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {"occurred_on": "1899-01-01"},
        {"duration_minutes": "-5"},
        {"duration_minutes": "721"},
        {"duration_minutes": "99999999999999999999"},
    ],
)
def test_hostile_note_input_is_refused_clearly(cast, bad):
    response = cast.client_for(cast.practitioner).post(_url("note_add", cast.seeker), _note(**bad))
    assert response.status_code == 200
    assert "Please fix the following" in response.content.decode()
    assert not Note.objects.exists()


def test_missing_fields_are_refused(cast):
    response = cast.client_for(cast.practitioner).post(_url("note_add", cast.seeker), {})
    assert response.status_code == 200 and not Note.objects.exists()


def test_author_changes_a_note_on_the_same_day(cast):
    client = cast.client_for(cast.practitioner)
    client.post(_url("note_add", cast.seeker), _note())
    note = Note.objects.get()
    assert client.get(_url("note_edit", cast.seeker, note.pk)).status_code == 200
    response = client.post(_url("note_edit", cast.seeker, note.pk), _note(text="Fixed typo."))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Fixed typo."


def test_only_the_author_may_change_a_note(cast):
    cast.client_for(cast.practitioner).post(_url("note_add", cast.seeker), _note())
    note = Note.objects.get()
    admin = cast.client_for(cast.admin)
    assert admin.post(_url("note_edit", cast.seeker, note.pk), _note(text="x")).status_code == 403
    note.refresh_from_db()
    assert note.text.startswith("Talked")


def test_a_note_is_locked_once_the_day_has_passed_and_corrected_by_a_new_one(cast):
    client = cast.client_for(cast.practitioner)
    client.post(_url("note_add", cast.seeker), _note())
    note = Note.objects.get()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client = cast.client_for(cast.practitioner)  # yesterday's session has expired
        edit = _url("note_edit", cast.seeker, note.pk)
        assert client.get(edit).status_code == 403
        assert client.post(edit, _note(text="rewrite history")).status_code == 403
        html = client.get(record_url(cast.seeker)).content.decode()
        assert edit not in html and "Add a correction" in html
        page = client.get(_url("note_add", cast.seeker) + f"?corrects={note.pk}")
        assert "The note you are correcting" in page.content.decode()
        response = client.post(
            _url("note_add", cast.seeker),
            _note(text="It was the morning bus.", corrects=str(note.pk)),
        )
        assert response.status_code == 302
        html = client.get(record_url(cast.seeker)).content.decode()
    note.refresh_from_db()
    correction = Note.objects.exclude(pk=note.pk).get()
    assert note.text.startswith("Talked") and correction.corrects == note
    assert "A later note corrects this one." in html and "Correction of the note of" in html


def test_a_correction_must_point_at_the_same_clients_note(cast):
    other = Note.objects.create(
        seeker=cast.seeker2,
        author=cast.practitioner2,
        kind=NoteKind.PHONE,
        occurred_on=timezone.localdate(),
        text="private",
    )
    client = cast.client_for(cast.practitioner)
    response = client.post(_url("note_add", cast.seeker), _note(corrects=str(other.pk)))
    assert response.status_code == 404
    response = client.post(_url("note_add", cast.seeker), _note(corrects="abc"))
    assert response.status_code == 404
    assert Note.objects.count() == 1


def test_author_who_handed_the_client_over_can_no_longer_change_todays_note(cast, colleague):
    from seekers.models import Seeker

    cast.client_for(cast.practitioner).post(_url("note_add", cast.seeker), _note())
    note = Note.objects.get()
    Seeker.objects.filter(pk=cast.seeker.pk).update(practitioner=colleague)
    client = cast.client_for(cast.practitioner)  # same office: still reads the record
    assert client.get(record_url(cast.seeker)).status_code == 200
    assert client.post(_url("note_edit", cast.seeker, note.pk), _note(text="x")).status_code == 403


def test_note_of_another_client_cannot_be_edited_through_this_one(cast):
    note = Note.objects.create(
        organisation=cast.organisation,
        author=cast.practitioner,
        kind=NoteKind.PHONE,
        occurred_on=timezone.localdate(),
        text="x",
    )
    client = cast.client_for(cast.practitioner)
    assert client.get(_url("note_edit", cast.seeker, note.pk)).status_code == 404


# --- Action plan --------------------------------------------------------------------------


def test_add_a_goal_then_a_step_then_mark_it_done(cast):
    client = cast.client_for(cast.practitioner)
    response = client.post(_url("goal_add", cast.seeker), {"title": "Find evening work"})
    goal = Goal.objects.get()
    assert response["Location"].endswith(f"#goal-{goal.pk}")
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    prefix = f"goal{goal.pk}-"
    client.post(
        _url("step_add", cast.seeker, goal.pk),
        {prefix + "text": "Update the CV", prefix + "owner": "client", prefix + "due_on": due},
    )
    step = Step.objects.get()
    assert step.owner == StepOwner.CLIENT and step.due_on.isoformat() == due
    client.post(_url("step_toggle", cast.seeker, step.pk), {"done": "1"})
    step.refresh_from_db()
    assert step.done_at is not None and step.done_by == cast.practitioner
    html = client.get(record_url(cast.seeker)).content.decode()
    assert "Update the CV" in html and "Mark as not done" in html
    client.post(_url("step_toggle", cast.seeker, step.pk), {"done": ""})
    step.refresh_from_db()
    assert step.done_at is None


def test_step_toggle_with_htmx_returns_just_the_step(cast):
    goal = Goal.objects.create(seeker=cast.seeker, title="Work")
    step = Step.objects.create(goal=goal, text="Call the café", owner=StepOwner.PRACTITIONER)
    response = cast.client_for(cast.practitioner).post(
        _url("step_toggle", cast.seeker, step.pk), {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li id="step-{step.pk}"') and "<html" not in html
    assert "Mark as not done" in html


def test_step_and_goal_of_another_client_are_404(cast):
    goal = Goal.objects.create(seeker=cast.seeker2, title="Other")
    step = Step.objects.create(goal=goal, text="x", owner=StepOwner.CLIENT)
    client = cast.client_for(cast.practitioner)
    assert client.post(_url("step_toggle", cast.seeker, step.pk), {"done": "1"}).status_code == 404
    prefix = f"goal{goal.pk}-"
    response = client.post(
        _url("step_add", cast.seeker, goal.pk), {prefix + "text": "x", prefix + "owner": "client"}
    )
    assert response.status_code == 404
    assert Step.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"text": ""},
        {"text": "x" * 301},
        {"owner": "the cat"},
        {"due_on": "1900-01-01"},
        {"due_on": "31/31/2026"},
    ],
)
def test_hostile_step_input_is_refused(cast, bad):
    goal = Goal.objects.create(seeker=cast.seeker, title="Work")
    prefix = f"goal{goal.pk}-"
    data = {"text": "Update the CV", "owner": "client", "due_on": ""} | bad
    response = cast.client_for(cast.practitioner).post(
        _url("step_add", cast.seeker, goal.pk), {prefix + k: v for k, v in data.items()}
    )
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not Step.objects.exists()


def test_hostile_goal_input_is_refused(cast):
    client = cast.client_for(cast.practitioner)
    for title in ("", " ", "x" * 201):
        response = client.post(_url("goal_add", cast.seeker), {"title": title})
        assert response.status_code == 200
    assert not Goal.objects.exists()


def test_next_action_due_appears_in_the_queue(cast):
    goal = Goal.objects.create(seeker=cast.seeker, title="Work")
    Step.objects.create(
        goal=goal, text="Visit the job fair", owner=StepOwner.BOTH, due_on=timezone.localdate()
    )
    html = cast.client_for(cast.practitioner).get(reverse("practitioners:queue")).content.decode()
    assert "Visit the job fair" in html


# --- How they are served ------------------------------------------------------------------


def test_delivery_method_is_editable_by_the_owner(cast):
    client = cast.client_for(cast.practitioner)
    response = client.post(
        _url("delivery_update", cast.organisation), {"delivery_method": DeliveryMethod.GROUP}
    )
    assert response.status_code == 302
    cast.organisation.refresh_from_db()
    assert cast.organisation.delivery_method == DeliveryMethod.GROUP


def test_bad_delivery_method_is_refused(cast):
    response = cast.client_for(cast.practitioner).post(
        _url("delivery_update", cast.seeker), {"delivery_method": "carrier pigeon"}
    )
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    cast.seeker.refresh_from_db()
    assert cast.seeker.delivery_method == DeliveryMethod.SELF_SERVE


def test_double_submits_of_goals_and_steps_save_once(cast):
    client = cast.client_for(cast.practitioner)
    for _ in range(2):
        client.post(_url("goal_add", cast.seeker), {"title": "Find evening work"})
    goal = Goal.objects.get()
    prefix = f"goal{goal.pk}-"
    for _ in range(2):
        client.post(
            _url("step_add", cast.seeker, goal.pk),
            {prefix + "text": "Update the CV", prefix + "owner": "client"},
        )
    assert Step.objects.count() == 1
