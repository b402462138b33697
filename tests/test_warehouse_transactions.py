"""The warehouse's transactions: all or nothing, and one opened inside another joins it."""

from __future__ import annotations

import pytest

from sia.config import load_partnership
from sia.warehouse import Warehouse


@pytest.fixture
def wh(tmp_path):
    with Warehouse.open(load_partnership("city-of-london"), tmp_path) as warehouse:
        warehouse.con.execute("CREATE TABLE t (x INTEGER)")
        yield warehouse


def _xs(wh) -> list[int]:
    return [x for (x,) in wh.con.execute("SELECT x FROM t ORDER BY x").fetchall()]


def test_a_transaction_commits_or_rolls_back_as_a_whole(wh):
    with wh.transaction() as con:
        con.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(RuntimeError), wh.transaction() as con:
        con.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError("stop")
    assert _xs(wh) == [1]


def test_an_inner_transaction_joins_the_outer_one(wh):
    with wh.transaction() as con:
        con.execute("INSERT INTO t VALUES (1)")
        with wh.transaction() as inner:  # no error: DuckDB cannot nest, so it joins
            assert inner is con
            inner.execute("INSERT INTO t VALUES (2)")
        # nothing is committed by the inner block: another connection sees nothing yet
        other = wh.con.cursor()
        assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)
    assert _xs(wh) == [1, 2]


def test_a_failure_in_the_inner_block_rolls_back_the_outer_one_too(wh):
    with pytest.raises(RuntimeError), wh.transaction() as con:
        con.execute("INSERT INTO t VALUES (1)")
        with wh.transaction() as inner:
            inner.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("stop")
    assert _xs(wh) == []
    with wh.transaction() as con:  # and the next transaction starts afresh
        con.execute("INSERT INTO t VALUES (3)")
    assert _xs(wh) == [3]
