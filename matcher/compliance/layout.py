"""Requirements written in layouts the rules cannot read as sentences: a table on one line,
labels then values (性别/年龄/民族：不限/不限/汉, or the values on the next line), read as
label:value pairs
(性别:不限;年龄:不限;民族:汉). Used by :func:`matcher.compliance.normalise.fold`."""

from __future__ import annotations

import re

#: Chinese characters (CJK unified ideographs, extension A, compatibility ideographs)
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# a table written on one line, labels then values: 性别/年龄/民族：不限/不限/汉
TABLE = re.compile(
    rf"(?P<labels>[{CJK}]{{2,4}}(?:\s*[/|]\s*[{CJK}]{{2,4}})+)(?:\s*:\s*|[ \t]*\n\s*)"
    r"(?P<values>[^/|\n,;。]{1,10}(?:\s*[/|]\s*[^/|\n,;。]{1,10})+)"
)
CELL = re.compile(r"\s*[/|]\s*")


def table_edits(text: str) -> list[tuple[int, int, str]]:
    """Each one-line table read as its label:value pairs (性别:不限;年龄:不限;民族:汉), when
    there are as many values as labels."""
    out = []
    for m in TABLE.finditer(text):
        labels, values = CELL.split(m["labels"]), CELL.split(m["values"].strip())
        if len(labels) == len(values):
            pairs = ";".join(f"{a}:{b}" for a, b in zip(labels, values, strict=True))
            out.append((m.start(), m.end(), pairs))
    return out
