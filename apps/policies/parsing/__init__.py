"""Regulation (制度) text parsing: plain text / .docx -> tree of 章/条/项 nodes.

Pure Python, no database; warnings are rendered with Django's gettext
(``warnings``). See ``parser`` for the algorithm and ``model`` for the
node kinds and the slug scheme.

    text = read_upload(upload.name, upload.read())   # may raise ParseInputError
    result = parse_text(text)
    payload = to_json(result)
"""

from .model import Node, ParseResult, flatten_articles, iter_nodes, node_full_text, to_json
from .parser import parse_text
from .upload import ParseInputError, read_upload
from .warnings import ParseWarning, render_warnings

__all__ = [
    "Node",
    "ParseInputError",
    "ParseResult",
    "ParseWarning",
    "flatten_articles",
    "iter_nodes",
    "node_full_text",
    "parse_text",
    "read_upload",
    "render_warnings",
    "to_json",
]
