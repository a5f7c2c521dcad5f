"""YAML for hand-written files (case studies, case lists): safe, strict about keys and numbers.

Loading never runs code (a :class:`yaml.SafeLoader`), a key given twice in one mapping is an
error instead of the last one silently winning, and numbers follow YAML 1.2: YAML 1.1 reads
``025000`` as octal (10752) and ``25:00`` as base 60 (1500), and not ``5.0e6`` as a number at
all, each a silent error in a file of money figures.

Aliases (``*name``, and so ``<<`` merge keys) are refused: nested aliases let a 1 KB file
expand to gigabytes ("billion laughs"), and a hand-written case file has no need of them.
With aliases refused a document's parsed size is bounded by its text, which :func:`load_file`
caps at :data:`MAX_YAML_BYTES`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from kil_io import limits

#: Largest YAML file read (a case file with a 100-line supplier list is about 10 KB).
MAX_YAML_BYTES = 2**20

_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class StrictLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` with aliases and repeated keys refused and YAML 1.2 integers and floats."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose a node, refusing an alias before it is expanded."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            name = event.anchor if len(event.anchor) <= 40 else event.anchor[:37] + "..."
            raise ComposerError(
                None, None,
                f"the alias *{name} is not allowed: kil_io reads plain data only, "
                "so write the value out in full (anchors, aliases and '<<' merge keys are refused)",
                event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice."""
        keys = [self.construct_object(k, deep=True) for k, _ in node.value]
        repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
        if repeated:
            message = f"keys given more than once: {limits.excerpt(repeated)}"
            raise ConstructorError(None, None, message, node.start_mark)
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
StrictLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\.[0-9]+)$"),
    list("-+0123456789."),
)


def load(text: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`; raises :class:`yaml.YAMLError` on bad input."""
    return yaml.load(text, Loader=StrictLoader)


def load_file(path: str | Path, *, what: str = "YAML file", max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Read and parse a YAML file within ``max_bytes``, decoded strictly as UTF-8.

    Raises
    ------
    MissingFileError, ReaderError, LimitError
        No such file, a folder, not UTF-8 (line and byte named), or over ``max_bytes``
        (see :func:`kil_io.limits.read_text`).
    yaml.YAMLError
        Not YAML, an alias, or a key given twice.
    """
    return load(limits.read_text(path, what=what, max_bytes=max_bytes))


#: Line breaks (YAML's and Unicode's): a one-line field holding one could end a comment line and
#: start a key of its own in a file written by pasting text.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def control_character(text: str, *, lines: bool = False) -> str | None:
    """What is wrong with ``text`` as a field of a case file, or None: a control character or a line break.

    Parameters
    ----------
    text : str
    lines : bool
        A field of several lines (a description): line breaks and tabs are allowed.

    Returns
    -------
    str or None
        ``"holds a line break (U+000A) at character 7: one line only"`` or
        ``"holds the control character U+0007 at character 6"``.
    """
    for k, ch in enumerate(text, start=1):
        if ch in _BREAKS and not (lines and ch in "\n\r"):
            return f"holds a line break (U+{ord(ch):04X}) at character {k}: one line only"
        if (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0) and not (ch == "\t" or (lines and ch in "\n\r")):
            return f"holds the control character U+{ord(ch):04X} at character {k}: remove it"
    return None


def comment_line(text: object) -> str:
    """``text`` as the body of one YAML comment line: line breaks and control characters become spaces.

    A case file's comments are the only text kil_io writes outside a YAML emitter; a line break
    in them would end the comment and start a key of the user's choosing.
    """
    chars = (" " if ch in _BREAKS or ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 else ch for ch in str(text))
    return " ".join("".join(chars).split())
