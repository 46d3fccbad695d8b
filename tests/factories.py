"""Factories for the fixed test cast. Test-only: production code never imports this."""

from __future__ import annotations

import factory

from accounts.models import Office, Role, User
from employers.models import Member, Organisation
from seekers.models import Seeker

PASSWORD = "test-password-123"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Office {n}")
    region = "Halifax"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.SEEKER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PractitionerFactory(UserFactory):
    role = Role.PRACTITIONER
    office = factory.SubFactory(OfficeFactory)


class AdminFactory(UserFactory):
    role = Role.ADMIN


class SeekerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seeker

    user = factory.SubFactory(UserFactory, role=Role.SEEKER)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Business {n}")
    sector = "retail"
    region = "halifax"
    size = "5-19"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory, role=Role.EMPLOYER)
    organisation = factory.SubFactory(OrganisationFactory)
    is_owner = True
