"""Parse the pasted text of a Vietnamese official plan (kế hoạch) into structured data.

Pure package: standard library only, no Django; ``text_from_docx`` imports python-docx
lazily. ``parse_plan`` never raises on odd input: what it cannot place goes to
``unrecognised`` and ``warnings``, and every body line is kept in ``preamble``,
``sections`` or ``closing``.

Matching works on a *folded* copy of the text (lower case, Vietnamese diacritics removed,
``đ`` → ``d``). Folding keeps the length, so offsets found in the folded copy point into
the original and every value returned keeps the original spelling. Old and new tone
placement (hoá/hóa, uỷ/ủy) and even unaccented text therefore match alike.

Modules, in reading order: ``text`` and ``dates`` (helpers), ``lines`` (numbering and
bullets), ``layout`` (header, title, body, tail of the document), ``header``, ``body``,
``tail``, then the field extractors ``references``, ``activities``, ``participants``,
``awards``, ``assignments``; ``plan`` runs them; ``docx_text`` reads Word files.

See docs/domain.md §5 for the fields and §5.4 for the markers recognised.
"""

from thidua.campaigns.parsing.agencies import extract_agencies, normalise_agency, split_agencies
from thidua.campaigns.parsing.dates import FoundDate, find_dates, parse_vn_date, parse_vn_range
from thidua.campaigns.parsing.docx_text import (
    document_text,
    names_old_font,
    open_docx,
    paragraph_texts,
    text_from_docx,
)
from thidua.campaigns.parsing.plan import parse_plan
from thidua.campaigns.parsing.result import (
    AssignmentItem,
    AwardForm,
    Deadline,
    FormMention,
    Paragraph,
    ParentDocument,
    ParsedPlan,
    ParseWarning,
    Prize,
    Recipient,
    Section,
    Signer,
    last_day,
)
from thidua.campaigns.parsing.text import fold, normalise_text

__all__ = [
    "AssignmentItem",
    "AwardForm",
    "Deadline",
    "FormMention",
    "FoundDate",
    "Paragraph",
    "ParentDocument",
    "ParseWarning",
    "ParsedPlan",
    "Prize",
    "Recipient",
    "Section",
    "Signer",
    "document_text",
    "extract_agencies",
    "find_dates",
    "fold",
    "last_day",
    "names_old_font",
    "normalise_agency",
    "normalise_text",
    "open_docx",
    "paragraph_texts",
    "parse_plan",
    "parse_vn_date",
    "parse_vn_range",
    "split_agencies",
    "text_from_docx",
]
