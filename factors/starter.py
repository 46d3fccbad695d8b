"""Load the starter bank (factors/data/starter_framework.json) as a published version.

Used by the data migration; kept here so tests can check the file itself.
Identities are derived from item codes so every installation agrees on them.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

STARTER_FILE = Path(__file__).resolve().parent / "data" / "starter_framework.json"
IDENTITY_NAMESPACE = uuid.UUID("6b1c7a52-8f0e-4a0e-9a53-5f2f1a4f7c11")


def read_starter() -> dict[str, Any]:
    with STARTER_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def identity_for(code: str) -> uuid.UUID:
    return uuid.uuid5(IDENTITY_NAMESPACE, code)


def load_starter(version_model: Any, factor_model: Any, item_model: Any, prompt_model: Any) -> None:
    """Create version 1 from the starter bank with the (historical) models given."""
    from django.utils import timezone

    data = read_starter()
    # Filled as a draft, then published in one update: published rows refuse changes.
    version = version_model.objects.create(
        number=1,
        status="draft",
        note="Starter bank: the Magnetic Factors as defined with Nova Scotia employers.",
    )
    for order, spec in enumerate(data["factors"]):
        factor = factor_model.objects.create(
            version=version,
            key=spec["key"],
            order=order,
            name_en=spec["name"]["en"],
            name_fr=spec["name"]["fr"],
            definition_en=spec["definition"]["en"],
            definition_fr=spec["definition"]["fr"],
            guidance_en=spec["guidance"]["en"],
            guidance_fr=spec["guidance"]["fr"],
            worker_reflection_en=spec["worker_reflection"]["en"],
            worker_reflection_fr=spec["worker_reflection"]["fr"],
            employer_reflection_en=spec["employer_reflection"]["en"],
            employer_reflection_fr=spec["employer_reflection"]["fr"],
        )
        item_model.objects.bulk_create(
            item_model(
                factor=factor,
                identity=identity_for(item["code"]),
                code=item["code"],
                direction=item["direction"],
                worker_text_en=item["worker"]["en"],
                worker_text_fr=item["worker"]["fr"],
                employer_text_en=item["employer"]["en"],
                employer_text_fr=item["employer"]["fr"],
                cost=item.get("cost") or "",
                order=index,
            )
            for index, item in enumerate(spec["items"])
        )
        prompt_model.objects.bulk_create(
            prompt_model(
                factor=factor,
                identity=identity_for(prompt["code"]),
                code=prompt["code"],
                side=prompt["side"],
                text_en=prompt["text"]["en"],
                text_fr=prompt["text"]["fr"],
                limiting=prompt["limiting"],
                order=index,
            )
            for index, prompt in enumerate(spec["mindsets"])
        )
    version_model.objects.filter(pk=version.pk).update(
        status="published", published_at=timezone.now()
    )
