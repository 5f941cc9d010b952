import threading
from collections.abc import Iterator

import pytest

from orgburo.tabular import read_ahead


def test_items_come_in_their_order() -> None:
    assert list(read_ahead(range(100), depth=3)) == list(range(100))


def test_items_are_produced_by_another_thread() -> None:
    def producers() -> Iterator[str]:
        for _ in range(3):
            yield threading.current_thread().name

    assert set(read_ahead(producers())) == {"read-ahead"}


def test_an_error_of_the_producer_comes_out_after_the_items_before_it() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("row 3 is malformed")

    items = read_ahead(failing())
    assert [next(items), next(items)] == [1, 2]
    with pytest.raises(ValueError, match="row 3"):
        next(items)


def test_a_consumer_that_stops_early_stops_the_producer() -> None:
    produced: list[int] = []

    def counting() -> Iterator[int]:
        for i in range(1_000):
            produced.append(i)
            yield i

    items = read_ahead(counting(), depth=1)
    assert next(items) == 0
    items.close()
    assert len(produced) <= 3
