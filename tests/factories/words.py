"""Word files built for attacks on the servers that read them."""

import io
import zipfile

import docx


def oversized_docx(megabytes: int = 21, parts: tuple[str, ...] = ("word/document.xml",)) -> bytes:
    """A few MB of .docx whose text unpacks to `megabytes` MB in each of `parts` (the main
    part, or others: a part renamed, headers): each paragraph differs, so it compresses about
    25 to 1, under the ZIP-bomb ratio (python-docx would need ~14 times the text in memory to
    read it)."""
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        members = {item.filename: source.read(item) for item in source.infolist()}
    head, tail = members["word/document.xml"].split(b"<w:body>", 1)
    paragraph = "<w:p><w:r><w:t>Đoạn văn số {} của kế hoạch thi đua</w:t></w:r></w:p>"
    body, size, i = [], 0, 0
    while size < megabytes * 1024 * 1024:
        piece = paragraph.format(i).encode()
        body.append(piece)
        size += len(piece)
        i += 1
    for part in parts:
        members[part] = head + b"<w:body>" + b"".join(body) + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return out.getvalue()
