"""Join PDF files into one by streaming, holding one part in memory at a time.

A bulk print of 10,000 certificates is rendered in parts of a few hundred pages (reportlab keeps
every page of a canvas until it is saved); the parts are then copied object by object into one
output file: each page with what it uses (content stream, fonts, images), renumbered, written at
once, and only the byte offsets and the page numbers are kept until the cross-reference table at
the end. Objects shared by the pages of one part (the embedded fonts) are written once per part.
"""

import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    create_string_object,
)

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
_PAGES = 1  # object numbers kept for the page tree and the catalogue, written last
_CATALOG = 2


class _Ref(PdfObject):
    """A reference to an object of the output file (``n 0 R``)."""

    def __init__(self, number: int) -> None:
        self.number = number

    def write_to_stream(self, stream: IO[bytes], encryption_key: Any = None) -> None:
        stream.write(b"%d 0 R" % self.number)


class PdfJoiner:
    """``join.add(path)`` for each part in order, then ``join.finish(title)``."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.next_number = 3
        self.pages: list[int] = []
        out.write(HEADER)
        self.position = len(HEADER)

    def _write(self, number: int, obj: PdfObject) -> None:
        buffer = io.BytesIO()
        buffer.write(b"%d 0 obj\n" % number)
        obj.write_to_stream(buffer)
        buffer.write(b"\nendobj\n")
        data = buffer.getvalue()
        self.offsets[number] = self.position
        self.out.write(data)
        self.position += len(data)

    def add(self, path: str | Path) -> int:
        """Copy every page of one part; returns the number of pages added."""
        reader = PdfReader(str(path))
        numbers: dict[int, int] = {}  # the part's object number -> the output's

        def copy(value: Any) -> Any:
            if isinstance(value, IndirectObject):
                if value.idnum not in numbers:
                    numbers[value.idnum] = self.next_number
                    self.next_number += 1
                    target = value.get_object()
                    self._write(numbers[value.idnum], copy(target))
                return _Ref(numbers[value.idnum])
            if isinstance(value, StreamObject):
                stream = StreamObject()
                for key, item in value.items():
                    if key != "/Length":
                        stream[NameObject(key)] = copy(item)
                stream.set_data(value._data)
                stream[NameObject("/Length")] = NumberObject(len(value._data))
                return stream
            if isinstance(value, DictionaryObject):
                return DictionaryObject({NameObject(k): copy(v) for k, v in value.items()})
            if isinstance(value, ArrayObject):
                return ArrayObject(copy(v) for v in value)
            return value

        count = 0
        for page in reader.pages:
            number = self.next_number
            self.next_number += 1
            body = DictionaryObject(
                {NameObject(k): copy(v) for k, v in page.items() if k != "/Parent"}
            )
            body[NameObject("/Parent")] = _Ref(_PAGES)
            self._write(number, body)
            self.pages.append(number)
            count += 1
        return count

    def finish(self, info: dict[str, str] | None = None) -> None:
        kids = ArrayObject(_Ref(n) for n in self.pages)
        self._write(
            _PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Kids"): kids,
                    NameObject("/Count"): NumberObject(len(self.pages)),
                }
            ),
        )
        self._write(
            _CATALOG,
            DictionaryObject(
                {NameObject("/Type"): NameObject("/Catalog"), NameObject("/Pages"): _Ref(_PAGES)}
            ),
        )
        trailer = DictionaryObject(
            {
                NameObject("/Size"): NumberObject(self.next_number),
                NameObject("/Root"): _Ref(_CATALOG),
            }
        )
        if info:
            info_number = self.next_number
            self.next_number += 1
            self._write(
                info_number,
                DictionaryObject(
                    {NameObject(f"/{k}"): create_string_object(v) for k, v in info.items()}
                ),
            )
            trailer[NameObject("/Size")] = NumberObject(self.next_number)
            trailer[NameObject("/Info")] = _Ref(info_number)
        xref = self.position
        lines = [b"xref\n", b"0 %d\n" % self.next_number, b"0000000000 65535 f \n"]
        lines.extend(b"%010d 00000 n \n" % self.offsets[n] for n in range(1, self.next_number))
        self.out.write(b"".join(lines))
        self.out.write(b"trailer\n")
        buffer = io.BytesIO()
        trailer.write_to_stream(buffer)
        self.out.write(buffer.getvalue())
        self.out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref)


def join_pdfs(
    parts: Iterable[str | Path], out: IO[bytes], info: dict[str, str] | None = None
) -> int:
    """Join the parts into ``out``; returns the page count."""
    joiner = PdfJoiner(out)
    total = sum(joiner.add(part) for part in parts)
    joiner.finish(info)
    return total
