"""Text of a .docx file in reading order."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any


def text_from_docx(data: bytes) -> str:
    """Text of a .docx in reading order, one paragraph per line.

    Tables (the two-column header and signature blocks) are read row by row, cell by
    cell; a merged cell is read once; a blank line follows each table.

    Raises ValueError if ``data`` is not a readable .docx file.
    """
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for a bad package
        raise ValueError("Tệp không phải là tài liệu Word (.docx) hợp lệ.") from exc
    lines: list[str] = []

    def walk(items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, Table):
                seen: list[Any] = []  # cell elements; kept alive so identity is reliable
                for row in item.rows:
                    for cell in row.cells:
                        if any(cell._tc is element for element in seen):
                            continue
                        seen.append(cell._tc)
                        walk(cell.iter_inner_content())
                lines.append("")
            else:
                lines.extend(str(item.text).split("\n"))

    walk(document.iter_inner_content())
    return "\n".join(lines)
