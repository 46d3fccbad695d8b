"""The answer scales both sides use. Stored as small integers so they compare cheaply."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactorKey(models.TextChoices):
    """The six Magnetic Factors. The keys are stable: URLs, data and reports rely on them."""

    VALUES = "values", _("Values")
    CULTURE = "culture", _("Culture")
    WORK_ARRANGEMENTS = "work_arrangements", _("Work arrangements")
    SKILLS_COMPETENCIES = "skills_competencies", _("Skills & competencies")
    PRODUCTIVITY_ENGAGEMENT = "productivity_engagement", _("Productivity & engagement")
    PAY_BENEFITS = "pay_benefits", _("Pay & benefits")


class Direction(models.TextChoices):
    """Which side needs and which side offers an item."""

    WORKER_NEEDS = "worker_needs", _("Worker needs, employer offers")
    WORKER_OFFERS = "worker_offers", _("Employer needs, worker offers")


class Side(models.TextChoices):
    WORKER = "worker", _("Job seeker")
    EMPLOYER = "employer", _("Employer")


class Importance(models.IntegerChoices):
    """How much a worker needs an item (worker-needs items)."""

    NOT_IMPORTANT = 0, _("Not important")
    NICE_TO_HAVE = 1, _("Nice to have")
    IMPORTANT = 2, _("Important")
    MUST_HAVE = 3, _("Must have")


class Strength(models.IntegerChoices):
    """How strongly a worker can offer an item (worker-offers items)."""

    NOT_YET = 0, _("Not yet")
    A_LITTLE = 1, _("A little")
    WELL = 2, _("Well")
    VERY_WELL = 3, _("Very well")


class OfferLevel(models.IntegerChoices):
    """Whether an employer offers an item (worker-needs items)."""

    NOT_OFFERED = 0, _("Not offered")
    COULD_OFFER = 1, _("Could offer")
    OFFERED = 2, _("Offered")


class NeedLevel(models.IntegerChoices):
    """How much an employer needs an item (worker-offers items)."""

    NOT_NEEDED = 0, _("Not needed")
    NICE_TO_HAVE = 1, _("Nice to have")
    IMPORTANT = 2, _("Important")
    MUST_HAVE = 3, _("Must have")


class Agreement(models.IntegerChoices):
    """Answer to a mindset prompt."""

    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    UNSURE = 3, _("Not sure")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


class Cost(models.TextChoices):
    """Rough cost for a small business to offer an item; low-cost levers are suggested first."""

    LOW = "low", _("Low cost")
    MEDIUM = "medium", _("Medium cost")
    HIGH = "high", _("Higher cost")
