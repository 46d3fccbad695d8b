"""Two tabs saving the same answer at the same moment: one row, never a duplicate or a 500.

Needs real concurrent transactions, so it runs on PostgreSQL (CI) and is skipped on SQLite,
which serialises writers by locking the whole file.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from factors.models import Item
from seekers import services
from seekers.models import Answer
from seekers.services import AnswerInput

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"
)
def test_simultaneous_saves_of_one_item_keep_one_row(cast):
    item = Item.objects.select_related("factor").get(
        factor__version__status="published", code="values-fair-treatment"
    )
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(level: int) -> None:
        try:
            start.wait()
            services.answer_save(
                seeker=cast.seeker, factor=item.factor, answer=AnswerInput(item, level)
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(level,)) for level in (0, 1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    answers = Answer.objects.filter(seeker=cast.seeker, item=item)
    assert answers.count() == 1 and answers.get().level in (0, 1, 2, 3)
