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
