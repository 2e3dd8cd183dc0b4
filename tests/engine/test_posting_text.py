"""The postings' compressed text: rows read recently are kept unpacked, and a row written
again is read anew (never the text it held before), whether it was loaded or added since."""

from __future__ import annotations

from matcher.engine.posting_text import PostingText
from tests.conftest import position


def test_a_row_written_again_is_read_anew_after_a_read() -> None:
    text = PostingText()
    text.set_many([0, 1], [position("p-0", title="会计"), position("p-1", title="出纳")])
    loaded = PostingText.from_arrays(text.arrays(), 2)
    for column in (text, loaded):
        assert column.get([0])[0][0] == "会计" and column.cards([1])[0][0]["title"] == "出纳"
        column.set_many([0], [position("p-0", title="焊工")])
        assert column.get([0])[0][0] == "焊工"
        assert column.cards([0])[0][0]["title"] == "焊工"
        assert column.get([1])[0][0] == "出纳"
