"""YAML for hand-written files (case studies, case lists): safe, strict about keys and numbers.

Loading never runs code (a :class:`yaml.SafeLoader`), a key given twice in one mapping is an
error instead of the last one silently winning, and numbers follow YAML 1.2: YAML 1.1 reads
``025000`` as octal (10752) and ``25:00`` as base 60 (1500), and not ``5.0e6`` as a number at
all, each a silent error in a file of money figures.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError

_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class StrictLoader(yaml.SafeLoader):
    """:class:`yaml.SafeLoader` with repeated keys refused and YAML 1.2 integers and floats."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a mapping, refusing a key that appears twice."""
        keys = [self.construct_object(k, deep=True) for k, _ in node.value]  # type: ignore[no-untyped-call]
        repeated = sorted({str(k) for k in keys if keys.count(k) > 1})
        if repeated:
            raise ConstructorError(None, None, f"keys given more than once: {repeated}", node.start_mark)
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
