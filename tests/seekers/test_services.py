"""Writes of the seeker journey: every rule, every refusal, and nothing saved on refusal."""

from __future__ import annotations

import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone

from factors.models import Item, MindsetPrompt
from factors.scales import Side
from factors.selectors import current_version
from seekers import selectors, services
from seekers.models import (
    Answer,
    Consent,
    ConsentKind,
    EmployerConsent,
    ErasureRequest,
    MindsetResponse,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
)
from seekers.services import AnswerInput, MindsetInput, SeekerError

from .conftest import fill_answers, publish_next_version

pytestmark = pytest.mark.django_db


def _item(version, code):
    return Item.objects.select_related("factor").get(factor__version=version, code=code)


# --- consent ------------------------------------------------------------------------


def test_agreeing_twice_keeps_one_record(cast):
    first = services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    again = services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    assert first == again and Consent.objects.count() == 1
    assert selectors.has_data_consent(seeker=cast.seeker)


def test_new_wording_supersedes_and_old_wording_is_not_enough(cast, settings):
    old = services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE, wording_version="1")
    assert not selectors.has_data_consent(seeker=cast.seeker)  # current wording differs
    new = services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    old.refresh_from_db()
    assert old.withdrawn_at is not None and new.withdrawn_at is None
    assert selectors.has_data_consent(seeker=cast.seeker)


def test_withdrawing_data_use_ends_all_sharing_at_once(consented):
    seeker = consented.seeker
    services.consent_grant_employer(
        seeker=seeker, organisation=consented.organisation, source="seeker"
    )
    assert selectors.shares_with_practitioner(seeker=seeker)
    services.consent_withdraw(seeker=seeker, kind=ConsentKind.DATA_USE)
    assert not selectors.has_data_consent(seeker=seeker)
    assert not selectors.shares_with_practitioner(seeker=seeker)
    assert not selectors.employer_may_see(organisation=consented.organisation, seeker=seeker)


def test_sharing_with_practitioner_is_a_separate_choice(consented):
    seeker = consented.seeker2
    assert selectors.has_data_consent(seeker=seeker)
    assert not selectors.shares_with_practitioner(seeker=seeker)
    services.sharing_set(seeker=seeker, share=True)
    assert selectors.shares_with_practitioner(seeker=seeker)
    services.sharing_set(seeker=seeker, share=False)
    assert not selectors.shares_with_practitioner(seeker=seeker)
    assert selectors.has_data_consent(seeker=seeker)
    assert seeker.consents.filter(kind=ConsentKind.PRACTITIONER).count() == 1  # history kept


def test_employer_consent_lasts_365_days(consented):
    seeker, org = consented.seeker, consented.organisation
    assert not selectors.employer_may_see(organisation=org, seeker=seeker)
    consent = services.consent_grant_employer(seeker=seeker, organisation=org, source="seeker")
    assert consent.expires_at - consent.granted_at == datetime.timedelta(days=365)
    assert selectors.employer_may_see(organisation=org, seeker=seeker)
    assert not selectors.employer_may_see(organisation=consented.organisation2, seeker=seeker)
    assert list(selectors.seekers_visible_to_employer(organisation=org)) == [seeker]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=364)):
        assert selectors.employer_may_see(organisation=org, seeker=seeker)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=366)):
        assert not selectors.employer_may_see(organisation=org, seeker=seeker)
        assert list(selectors.seekers_visible_to_employer(organisation=org)) == []
        # Agreeing again after expiry is a new record; the expired one stays as history.
        services.consent_grant_employer(seeker=seeker, organisation=org, source="match")
        assert selectors.employer_may_see(organisation=org, seeker=seeker)
        assert EmployerConsent.objects.filter(seeker=seeker, organisation=org).count() == 2


def test_agreeing_again_while_active_renews_the_twelve_months(consented):
    seeker, org = consented.seeker, consented.organisation
    first = services.consent_grant_employer(seeker=seeker, organisation=org, source="seeker")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200)):
        renewed = services.consent_grant_employer(seeker=seeker, organisation=org, source="match")
        assert renewed.pk == first.pk
        assert renewed.expires_at > first.expires_at + datetime.timedelta(days=199)
    assert EmployerConsent.objects.count() == 1


def test_withdrawing_employer_consent_takes_effect_at_once(consented):
    seeker, org = consented.seeker, consented.organisation
    services.consent_grant_employer(seeker=seeker, organisation=org, source="seeker")
    services.consent_grant_employer(
        seeker=seeker, organisation=consented.organisation2, source="seeker"
    )
    assert services.consent_withdraw_employer(seeker=seeker, organisation=org) == 1
    assert not selectors.employer_may_see(organisation=org, seeker=seeker)
    assert selectors.employer_may_see(organisation=consented.organisation2, seeker=seeker)
    assert services.consent_withdraw_employer(seeker=seeker, organisation=org) == 0


def test_no_employer_consent_without_data_use_consent(cast):
    with pytest.raises(SeekerError):
        services.consent_grant_employer(
            seeker=cast.seeker, organisation=cast.organisation, source="seeker"
        )
    assert not EmployerConsent.objects.exists()


# --- answers --------------------------------------------------------------------------


def test_saving_twice_updates_one_row(cast, version):
    item = _item(version, "values-fair-treatment")
    for level in (1, 3, 3):
        services.answer_save(
            seeker=cast.seeker, factor=item.factor, answer=AnswerInput(item=item, level=level)
        )
    answer = Answer.objects.get(seeker=cast.seeker)
    assert answer.level == 3


@pytest.mark.parametrize(
    ("code", "level", "dealbreaker", "example", "message"),
    [
        ("values-fair-treatment", 4, False, "", "Choose one of the answers shown."),
        ("values-fair-treatment", -1, False, "", "Choose one of the answers shown."),
        ("values-fair-treatment", None, False, "", "Choose one of the answers."),
        ("values-fair-treatment", None, True, "", "Choose how much it matters, too."),
        ("values-fair-treatment", 0, True, "", "cannot also be “Not important”"),
        ("skills-teamwork", 2, False, "x" * 501, "Keep the example under 500 characters."),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(
    cast, version, code, level, dealbreaker, example, message
):
    item = _item(version, code)
    answer = AnswerInput(item=item, level=level, dealbreaker=dealbreaker, example=example)
    with pytest.raises(SeekerError, match=message):
        services.answer_save(seeker=cast.seeker, factor=item.factor, answer=answer)
    assert not Answer.objects.exists()


def test_item_of_another_factor_is_refused(cast, version):
    item = _item(version, "culture-respect")
    values = version.factors.get(key="values")
    with pytest.raises(SeekerError, match="not part of this activity"):
        services.answer_save(seeker=cast.seeker, factor=values, answer=AnswerInput(item, 2))
    assert not Answer.objects.exists()


def test_item_of_an_older_version_is_refused(cast, version):
    old_item = _item(version, "values-fair-treatment")
    new = publish_next_version()
    with pytest.raises(SeekerError):
        services.answer_save(
            seeker=cast.seeker, factor=old_item.factor, answer=AnswerInput(old_item, 2)
        )
    new_values = new.factors.get(key="values")
    with pytest.raises(SeekerError, match="not part of this activity"):
        services.answer_save(seeker=cast.seeker, factor=new_values, answer=AnswerInput(old_item, 2))
    assert not Answer.objects.exists()


def test_activity_save_is_all_or_nothing(cast, version):
    good = _item(version, "values-fair-treatment")
    bad = _item(version, "values-purpose")
    with pytest.raises(SeekerError):
        services.activity_save(
            seeker=cast.seeker,
            factor=good.factor,
            answers=[AnswerInput(good, 2), AnswerInput(bad, 9)],
            reflection="A good day",
        )
    assert not Answer.objects.exists() and not Reflection.objects.exists()


def test_offers_keep_examples_and_needs_do_not(cast, version):
    offer = _item(version, "skills-teamwork")
    need = _item(version, "skills-mentor")
    services.activity_save(
        seeker=cast.seeker,
        factor=offer.factor,
        answers=[
            AnswerInput(offer, 3, example="  Coached the under-10 soccer team  "),
            AnswerInput(need, 3, dealbreaker=True, example="ignored"),
        ],
        reflection=None,
    )
    saved = {a.item.code: a for a in Answer.objects.select_related("item")}
    assert saved["skills-teamwork"].example == "Coached the under-10 soccer team"
    assert saved["skills-mentor"].example == "" and saved["skills-mentor"].dealbreaker


def test_reflection_length_is_checked(cast, version):
    values = version.factors.get(key="values")
    with pytest.raises(SeekerError):
        services.reflection_save(seeker=cast.seeker, factor=values, text="x" * 2001)
    services.reflection_save(seeker=cast.seeker, factor=values, text=" Proud day ")
    services.reflection_save(seeker=cast.seeker, factor=values, text="Prouder day")
    assert Reflection.objects.get().text == "Prouder day"


# --- carrying forward ---------------------------------------------------------------------


def test_answers_carry_forward_to_the_same_items_of_a_new_version(cast, version):
    fill_answers(cast.seeker, version, level=lambda i: 3, factors={"values"})
    Reflection.objects.create(
        seeker=cast.seeker, factor=version.factors.get(key="values"), text="My story"
    )

    def retire_purpose(draft):
        Item.objects.filter(factor__version=draft, code="values-purpose").update(retired=True)

    new = publish_next_version(change=retire_purpose)
    assert current_version() == new
    assert services.answers_carry_forward(seeker=cast.seeker, version=new) == 10
    assert services.answers_carry_forward(seeker=cast.seeker, version=new) == 0
    carried = Answer.objects.filter(seeker=cast.seeker, item__factor__version=new)
    assert carried.count() == 10 and set(carried.values_list("level", flat=True)) == {3}
    assert not carried.filter(item__code="values-purpose").exists()  # retired: not asked
    # The old answers stay on the old rows, for history.
    assert Answer.objects.filter(seeker=cast.seeker, item__factor__version=version).count() == 11
    new_values = new.factors.get(key="values")
    assert Reflection.objects.get(seeker=cast.seeker, factor=new_values).text == "My story"
    summary = selectors.profile_summary(seeker=cast.seeker)
    assert summary.version_number == new.number and summary.factors[0].complete


def test_carry_forward_never_overwrites_a_newer_answer(cast, version):
    fill_answers(cast.seeker, version, level=lambda i: 3, factors={"values"})
    new = publish_next_version()
    item = _item(new, "values-fair-treatment")
    services.answer_save(seeker=cast.seeker, factor=item.factor, answer=AnswerInput(item, 0))
    services.answers_carry_forward(seeker=cast.seeker, version=new, factor=item.factor)
    assert Answer.objects.get(seeker=cast.seeker, item=item).level == 0


def test_carry_forward_skips_an_item_turned_round(cast, version):
    """A need that became an offer was answered on another scale: not copied."""
    fill_answers(cast.seeker, version, level=lambda i: 3, factors={"values"})

    def turn_round(draft):
        Item.objects.filter(factor__version=draft, code="values-purpose").update(
            direction="worker_offers"
        )

    new = publish_next_version(change=turn_round)
    services.answers_carry_forward(seeker=cast.seeker, version=new)
    carried = Answer.objects.filter(seeker=cast.seeker, item__factor__version=new)
    assert not carried.filter(item__code="values-purpose").exists()
    assert carried.filter(item__code="values-fair-treatment").exists()


def test_carry_forward_only_touches_the_opened_factor(cast, version):
    fill_answers(cast.seeker, version, factors={"values", "culture"})
    new = publish_next_version()
    services.answers_carry_forward(
        seeker=cast.seeker, version=new, factor=new.factors.get(key="culture")
    )
    keys = set(
        Answer.objects.filter(item__factor__version=new).values_list("item__factor__key", flat=True)
    )
    assert keys == {"culture"}


def test_carry_forward_reads_nothing_when_no_version_is_older(
    cast, version, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        assert services.answers_carry_forward(seeker=cast.seeker, version=version) == 0
    with django_assert_max_num_queries(0):  # kept by the process: v1 stays the oldest
        assert services.answers_carry_forward(seeker=cast.seeker, version=version) == 0


def test_carry_forward_is_marked_done_per_version_once_committed(
    cast, version, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    import contextlib

    from django.db import transaction

    fill_answers(cast.seeker, version, level=lambda i: 3, factors={"values"})
    new = publish_next_version()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.answers_carry_forward(seeker=cast.seeker, version=new) == 11
    with django_assert_max_num_queries(0):  # marked done: every view after reads the cache
        assert services.answers_carry_forward(seeker=cast.seeker, version=new) == 0
    # A copy that rolled back is not marked done: the next view copies again.
    newer = publish_next_version()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        assert services.answers_carry_forward(seeker=cast.seeker, version=newer) == 11
        raise RuntimeError("rolled back")
    assert not callbacks
    # The mark is per version: the newer version is copied to although ``new`` is marked.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.answers_carry_forward(seeker=cast.seeker, version=newer) == 11
    assert Answer.objects.filter(seeker=cast.seeker, item__factor__version=newer).count() == 11


# --- mindset --------------------------------------------------------------------------


def _mindset_inputs(version, agreement=3):
    prompts = MindsetPrompt.objects.filter(factor__version=version, side=Side.WORKER, retired=False)
    return [MindsetInput(prompt=p, agreement=agreement) for p in prompts]


def test_mindset_intake_then_retake_and_double_submit(cast, version):
    token = uuid.uuid4()
    first = services.mindset_record(
        seeker=cast.seeker, version=version, token=token, responses=_mindset_inputs(version)
    )
    again = services.mindset_record(
        seeker=cast.seeker, version=version, token=token, responses=_mindset_inputs(version, 5)
    )
    assert first == again and first.occasion == "intake"
    assert MindsetResponse.objects.count() == 12
    later = services.mindset_record(
        seeker=cast.seeker, version=version, token=uuid.uuid4(), responses=_mindset_inputs(version)
    )
    assert later.occasion == "retake" and MindsetRound.objects.count() == 2


@pytest.mark.parametrize("problem", ["missing", "employer", "range", "note", "twice"])
def test_bad_mindset_answers_are_refused(cast, version, problem):
    responses = _mindset_inputs(version)
    if problem == "missing":
        responses = responses[1:]
    elif problem == "employer":
        employer_prompt = MindsetPrompt.objects.filter(
            factor__version=version, side=Side.EMPLOYER
        ).first()
        responses[0] = MindsetInput(prompt=employer_prompt, agreement=3)
    elif problem == "range":
        responses[0] = MindsetInput(prompt=responses[0].prompt, agreement=6)
    elif problem == "note":
        responses[0] = MindsetInput(prompt=responses[0].prompt, agreement=3, note="x" * 301)
    else:
        responses.append(responses[0])
    with pytest.raises(SeekerError):
        services.mindset_record(
            seeker=cast.seeker, version=version, token=uuid.uuid4(), responses=responses
        )
    assert not MindsetRound.objects.exists()


def test_mindset_snapshot_compares_with_the_first_check(cast, version):
    services.mindset_record(
        seeker=cast.seeker,
        version=version,
        token=uuid.uuid4(),
        responses=_mindset_inputs(version, 5),
    )
    services.mindset_record(
        seeker=cast.seeker,
        version=version,
        token=uuid.uuid4(),
        responses=_mindset_inputs(version, 1),
    )
    snapshot = selectors.mindset_snapshot(seeker=cast.seeker)
    assert snapshot.rounds == 2 and len(snapshot.lines) == 12
    # Half the prompts are limiting beliefs (disagreeing now is wider), half open ones.
    assert snapshot.wider_count == 6 and snapshot.narrower_count == 6


# --- profile history ----------------------------------------------------------------------


def test_retake_needs_a_complete_profile(cast, version):
    fill_answers(cast.seeker, version, factors={"values"})
    with pytest.raises(SeekerError, match="Finish all six"):
        services.profile_retake(seeker=cast.seeker)
    assert not ProfileSnapshot.objects.exists()


def test_retake_keeps_history_only_when_something_changed(cast, version):
    fill_answers(cast.seeker, version)
    first = services.profile_retake(seeker=cast.seeker)
    assert services.profile_retake(seeker=cast.seeker) == first
    item = _item(version, "pay-sick-days")
    services.answer_save(seeker=cast.seeker, factor=item.factor, answer=AnswerInput(item, 3))
    second = services.profile_retake(seeker=cast.seeker)
    assert second != first and ProfileSnapshot.objects.count() == 2
    assert first.version == version and first.data["version"] == version.number


def test_profile_summary_marks_incomplete_factors(cast, version):
    fill_answers(cast.seeker, version, factors={"values"}, level=lambda i: 3)
    item = _item(version, "culture-respect")
    services.answer_save(seeker=cast.seeker, factor=item.factor, answer=AnswerInput(item, 3))
    summary = selectors.profile_summary(seeker=cast.seeker)
    by_key = {f.key: f for f in summary.factors}
    assert by_key["values"].needs_score == 100.0
    assert by_key["culture"].needs_score is None and by_key["culture"].answered == 1
    assert by_key["pay_benefits"].needs_text == "Not started"
    assert summary.finished == 1 and not summary.complete


# --- erasure --------------------------------------------------------------------------


def test_erasure_request_once_cancel_and_confirm_once(consented, version):
    seeker = consented.seeker
    fill_answers(seeker, version, example=lambda i: "My own words")
    services.mindset_record(
        seeker=seeker,
        version=version,
        token=uuid.uuid4(),
        responses=[
            MindsetInput(r.prompt, r.agreement, note="A note") for r in _mindset_inputs(version)
        ],
    )
    services.consent_grant_employer(
        seeker=seeker, organisation=consented.organisation, source="seeker"
    )
    assert services.erasure_request(seeker=seeker) == services.erasure_request(seeker=seeker)
    assert services.erasure_cancel(seeker=seeker)
    request = services.erasure_request(seeker=seeker)
    assert ErasureRequest.objects.count() == 2
    services.erasure_confirm(request=request, by=consented.practitioner)
    with pytest.raises(SeekerError):
        services.erasure_confirm(request=request, by=consented.practitioner)
    seeker.refresh_from_db()
    user = seeker.user
    assert seeker.erased_at and not user.is_active and not user.has_usable_password()
    assert user.full_name == "" and user.email.endswith("@erased.invalid")
    assert not MindsetResponse.objects.exclude(note="").exists()
    assert not Answer.objects.exclude(example="").exists()
    assert Answer.objects.filter(seeker=seeker).count() > 0  # aggregates stay
    assert not selectors.employer_may_see(organisation=consented.organisation, seeker=seeker)
    assert not seeker.consents.filter(withdrawn_at__isnull=True).exists()
    request.refresh_from_db()
    assert request.status == "done" and request.decided_by == consented.practitioner
