"""Which industry a council's payment buys from: expense-type words -> a spending category -> an IOAT industry.

A spend over £500 file says what each payment was for in the council's own words (``Expense Type``
``Repairs and maintenance``, ``Home care``, ``Software licences``) and who asked for it (``Service
Area``). To follow the money through the local input-output table, each payment needs the industry
it buys from. :func:`place` tries, for each payment, in this order:

1. the ledger's ``category`` column, if it has one: a spending category of
   :data:`kil_io.appraisal.CATEGORIES` (``building_maintenance`` or ``building maintenance``), an IOAT
   industry code of the table (``F41, F42 & F43``), or ``unmapped``; other text in it is matched as
   words, as in 3;
2. the ledger's ``sic`` column: a SIC 2007 code (:func:`kil_io.datasets.ioat_for_sic`);
3. the rules' words in the expense type, first matching rule first;
4. the same words in the service area (``Adult Social Care`` when the expense type says only
   ``Payments to providers``);
5. otherwise the payment is **unmapped**: reported with its £ by expense type, never dropped, but
   not followed through the table.

A rule is a phrase and a category: it matches when its words appear together, in order, in the
text (case, punctuation and a plural ``s`` aside: ``repair`` matches ``Repairs and maintenance``).
:data:`DEFAULT_RULES` is kil_io's small table of common words; a council's own file of rules
(:func:`read_rules`: columns ``words`` and ``category``, optional ``note``) is tried before it, so it
can add words, correct a mapping or send a kind of payment to ``unmapped``. Some payments are not
purchases at all (grants, benefits, taxes, refunds, the council's own pay): the defaults leave them
unmapped and say why, since a grant's industry is what it pays for, which the ledger does not say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kil_io import datasets
from kil_io.appraisal.casestudy import CATEGORIES
from kil_io.errors import DatasetError, RecordsError
from kil_io.records.tables import Column, Layout, Problem, Problems, read_sheet

#: The category of a payment that no rule places (and of a rule that keeps a kind of payment out).
UNMAPPED = "unmapped"

#: kil_io's words -> category, tried in order (first match wins): a phrase, a category of
#: :data:`~kil_io.appraisal.CATEGORIES` or an IOAT code, and for ``unmapped`` why.
DEFAULT_RULES: tuple[tuple[str, str, str], ...] = (
    # not purchases: money that buys no industry's output, or whose industry the ledger does not say
    ("grant", UNMAPPED, "a grant: what it pays for is not in the ledger (map it in your own rules if you know)"),
    ("benefit", UNMAPPED, "a transfer to people, not a purchase"),
    ("council tax", UNMAPPED, "a tax, not a purchase"),
    ("business rate", UNMAPPED, "a tax, not a purchase"),
    ("precept", UNMAPPED, "a levy, not a purchase"),
    ("levy", UNMAPPED, "a levy, not a purchase"),
    ("refund", UNMAPPED, "a refund, not a purchase"),
    ("salary", UNMAPPED, "the council's own pay, not a purchase"),
    ("pension contribution", UNMAPPED, "pay to a pension fund, not a purchase"),
    ("national insurance", UNMAPPED, "a tax on pay, not a purchase"),
    ("interest", UNMAPPED, "financing costs, not a purchase"),
    ("loan", UNMAPPED, "lending, not a purchase"),
    # specific phrases before the general words they contain
    ("agency staff", "agency_staff", ""),
    ("temporary staff", "agency_staff", ""),
    ("agency", "agency_staff", ""),
    ("grounds maintenance", "cleaning_and_facilities", ""),
    ("grass cutting", "cleaning_and_facilities", ""),
    ("landscaping", "cleaning_and_facilities", ""),
    ("facilities management", "cleaning_and_facilities", ""),
    ("cleaning", "cleaning_and_facilities", ""),
    ("caretaking", "cleaning_and_facilities", ""),
    ("it maintenance", "it_services", ""),
    ("vehicle hire", "equipment_hire", ""),
    ("vehicle repair", "G45", ""),
    ("vehicle maintenance", "G45", ""),
    ("skip hire", "waste", ""),
    ("home to school transport", "land_transport", ""),
    ("temporary accommodation", "I55", ""),
    ("bed and breakfast", "I55", ""),
    ("public health", "health_services", ""),
    ("residential care", "social_care", ""),
    ("nursing care", "social_care", ""),
    ("home care", "social_care", ""),
    ("homecare", "social_care", ""),
    ("domiciliary", "social_care", ""),
    ("day care", "social_care", ""),
    ("supported living", "social_care", ""),
    ("respite", "social_care", ""),
    ("foster", "social_care", ""),
    ("care package", "social_care", ""),
    ("social care", "social_care", ""),
    ("highway", "F41, F42 & F43", ""),
    ("repair", "building_maintenance", ""),
    ("maintenance", "building_maintenance", ""),
    ("building work", "building_maintenance", ""),
    ("construction", "building_maintenance", ""),
    ("roofing", "building_maintenance", ""),
    ("refurbishment", "building_maintenance", ""),
    ("security", "security", ""),
    ("cctv", "security", ""),
    ("electricity", "energy", ""),
    ("gas", "energy", ""),
    ("energy", "energy", ""),
    ("utilities", "energy", ""),
    ("heating", "energy", ""),
    ("sewerage", "E37", ""),
    ("water", "water", ""),
    ("waste", "waste", ""),
    ("refuse", "waste", ""),
    ("recycling", "waste", ""),
    ("catering", "catering", ""),
    ("meal", "catering", ""),
    ("refreshment", "catering", ""),
    ("health", "health_services", ""),
    ("medical", "health_services", ""),
    ("software", "it_services", ""),
    ("computer", "it_services", ""),
    ("ict", "it_services", ""),
    ("it", "it_services", ""),
    ("telephone", "telecoms", ""),
    ("telecom", "telecoms", ""),
    ("broadband", "telecoms", ""),
    ("audit", "accounting", ""),
    ("accountancy", "accounting", ""),
    ("accounting", "accounting", ""),
    ("payroll service", "accounting", ""),
    ("legal", "legal", ""),
    ("solicitor", "legal", ""),
    ("barrister", "legal", ""),
    ("consultancy", "consultancy", ""),
    ("consultant", "consultancy", ""),
    ("professional fee", "consultancy", ""),
    ("professional service", "consultancy", ""),
    ("architect", "M71", ""),
    ("surveyor", "M71", ""),
    ("advertising", "marketing", ""),
    ("marketing", "marketing", ""),
    ("publicity", "marketing", ""),
    ("printing", "printing", ""),
    ("postage", "postal", ""),
    ("courier", "postal", ""),
    ("stationery", "wholesale_supplies", ""),
    ("office supplies", "wholesale_supplies", ""),
    ("equipment", "wholesale_supplies", ""),
    ("furniture", "wholesale_supplies", ""),
    ("material", "wholesale_supplies", ""),
    ("uniform", "wholesale_supplies", ""),
    ("hire", "equipment_hire", ""),
    ("leasing", "equipment_hire", ""),
    ("rental", "equipment_hire", ""),
    ("rent", "premises_rent", ""),
    ("premises", "premises_rent", ""),
    ("insurance", "insurance", ""),
    ("bank charge", "banking", ""),
    ("taxi", "land_transport", ""),
    ("bus", "land_transport", ""),
    ("coach", "land_transport", ""),
    ("transport", "land_transport", ""),
    ("training", "training", ""),
    ("tuition", "training", ""),
    ("education", "training", ""),
    ("subscription", "membership_organisations", ""),
    ("membership", "membership_organisations", ""),
    ("leisure", "sport_and_leisure", ""),
    ("sport", "sport_and_leisure", ""),
    ("museum", "R91", ""),
    ("arts", "arts_and_culture", ""),
    ("care", "social_care", ""),
)

RULES = Layout(
    what="spend categories file",
    option="--categories",
    columns=(
        Column("words", ("expense type", "keywords", "phrase", "match", "text")),
        Column("category", ("kil io category", "spending category", "industry", "ioat", "ioat code", "maps to")),
        Column("note", ("why", "source", "reason"), required=False),
    ),
)

#: What the ledger writes for a payment with no service area or expense type (never matched as words).
_EMPTY = ("(no service area)", "(no expense type)", "")


@dataclass(frozen=True)
class Rule:
    """A phrase and the category of the payments whose text holds it.

    Attributes
    ----------
    words : str
        As written, e.g. ``"home care"``.
    category : str
        A key of :data:`~kil_io.appraisal.CATEGORIES`, an IOAT code, or :data:`UNMAPPED`.
    source : str
        ``"kil_io default"`` or the rules file and row.
    note : str
        Why (for an unmapped rule), or the user's note.
    """

    words: str
    category: str
    source: str
    note: str = ""

    @property
    def tokens(self) -> tuple[str, ...]:
        """The phrase as compared (:func:`tokens`)."""
        return tokens(self.words)


def tokens(text: str) -> tuple[str, ...]:
    """Words as compared: lower case, ``&`` as ``and``, other punctuation as spaces, a plural ``s`` dropped.

    Examples
    --------
    >>> tokens("Repairs & Maintenance (credit note)")
    ('repair', 'and', 'maintenance', 'credit', 'note')
    """
    words = re.split(r"[^a-z0-9]+", text.casefold().replace("&", " and "))
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words if w)


def _holds(text: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return n > 0 and any(text[i : i + n] == phrase for i in range(len(text) - n + 1))


def default_rules() -> tuple[Rule, ...]:
    """:data:`DEFAULT_RULES` as :class:`Rule` values."""
    return tuple(Rule(words, category, "kil_io default", note) for words, category, note in DEFAULT_RULES)


def category_of(text: str, sectors: Sequence[str]) -> tuple[str, str] | None:
    """``(category, IOAT code)`` of a category's name, an IOAT code, or ``unmapped``; ``None`` for other text.

    Examples
    --------
    >>> category_of("Building maintenance", sectors)  # doctest: +SKIP
    ('building_maintenance', 'F41, F42 & F43')
    """
    key = "_".join(text.casefold().replace("-", " ").split())
    if key in CATEGORIES:
        return key, CATEGORIES[key]
    if key in (UNMAPPED, "none", "not_a_purchase"):
        return UNMAPPED, ""
    code = " ".join(text.split())
    by_case = {s.casefold(): s for s in sectors}
    if code.casefold() in by_case:
        return by_case[code.casefold()], by_case[code.casefold()]
    return None


def read_rules(path: str | Path, sectors: Sequence[str]) -> tuple[Rule, ...]:
    """A council's own rules (``.csv`` or ``.xlsx``): columns ``words``, ``category`` and optional ``note``.

    Parameters
    ----------
    path : str or Path
    sectors : sequence of str
        The IOAT codes of the table, which a category may name directly.

    Returns
    -------
    tuple of Rule
        In file order; :func:`place` tries them before :data:`DEFAULT_RULES`.

    Raises
    ------
    RecordsError
        The wrong shape; empty words; a category that is none of :data:`~kil_io.appraisal.CATEGORIES`,
        an IOAT code or ``unmapped`` (each naming the file, row, column and value).
    """
    sheet = read_sheet(path, RULES)
    problems = Problems(sheet)
    known = [*sorted(CATEGORIES), UNMAPPED]
    out = []
    for row, cells in sheet.rows:
        words = problems.text(row, cells, "words")
        category = problems.text(row, cells, "category")
        note = problems.text(row, cells, "note", required=False)
        if not words or not category:
            continue
        if not tokens(words):
            problems.add(row, "words", words, "has no letters or digits to match")
            continue
        found = category_of(category, sectors)
        if found is None:
            problems.choice(row, "category", category, known, "spending category, IOAT code or 'unmapped'")
            continue
        out.append(Rule(words, found[0], f"{sheet.path.name}, row {row}", note))
    problems.check()
    return tuple(out)


@dataclass(frozen=True)
class Placement:
    """Where a kind of payment goes: its category, industry and how it was found.

    Attributes
    ----------
    category : str
        A category key, an IOAT code, or :data:`UNMAPPED`.
    sector : str
        IOAT code ("" when unmapped).
    how : str
        In words, e.g. ``"expense type 'Home care' holds 'home care' (kil_io default)"``.
    """

    category: str
    sector: str
    how: str


def _by_rules(text: str, column: str, rules: Sequence[Rule], sectors: Sequence[str]) -> Placement | None:
    if text.strip() in _EMPTY:
        return None
    words = tokens(text)
    for rule in rules:
        if _holds(words, rule.tokens):
            found = category_of(rule.category, sectors) or (rule.category, "")
            why = f"; {rule.note}" if rule.note else ""
            return Placement(found[0], found[1], f"{column} {text!r} holds {rule.words!r} ({rule.source}{why})")
    return None


def place_one(
    category: str, sic: str, expense_type: str, service_area: str, rules: Sequence[Rule], sectors: Sequence[str]
) -> Placement | str:
    """The :class:`Placement` of one kind of payment, or why its SIC code names no industry (a message).

    The order of the module notes: the category column, the SIC column, the expense type, the
    service area; else :data:`UNMAPPED`.
    """
    if category:
        found = category_of(category, sectors)
        if found is not None:
            return Placement(found[0], found[1], f"category column {category!r}")
        by_words = _by_rules(category, "category column", rules, sectors)
        if by_words is not None:
            return by_words
    if sic:
        try:
            code = datasets.ioat_for_sic(sic)
        except DatasetError as exc:
            return str(exc).split(": ", 1)[-1]
        return Placement(code, code, f"SIC code {sic}")
    for text, column in ((expense_type, "expense type"), (service_area, "service area")):
        found_by = _by_rules(text, column, rules, sectors)
        if found_by is not None:
            return found_by
    what = " or ".join(f"{c} {t!r}" for t, c in ((expense_type, "expense type"), (service_area, "service area"))
                       if t.strip() not in _EMPTY)  # fmt: skip
    return Placement(UNMAPPED, "", f"no rule matches {what or 'the payment (no expense type or service area)'}")


def place(
    payments: pd.DataFrame,
    sectors: Sequence[str],
    *,
    rules: Sequence[Rule] = (),
    path: Path | str = "spend file",
) -> pd.DataFrame:
    """The category, industry and reason of every payment (:meth:`Placement`), aligned with ``payments``.

    Parameters
    ----------
    payments : DataFrame
        :attr:`kil_io.records.procurement.Procurement.payments` (``row``, ``category``, ``sic``,
        ``expense_type``, ``service_area``).
    sectors : sequence of str
        The table's IOAT codes.
    rules : sequence of Rule
        A council's own rules, tried before :data:`DEFAULT_RULES`.
    path : Path or str
        The ledger, for messages.

    Returns
    -------
    DataFrame
        ``category``, ``sector`` ("" when unmapped) and ``how``, one row per payment.

    Raises
    ------
    RecordsError
        A SIC code that names no single industry, or an industry the table does not have (naming the
        file, row, column and value).
    """
    every = (*rules, *default_rules())
    seen: dict[tuple[str, ...], Placement | str] = {}
    out, problems = [], []
    for row, category, sic, expense, area in payments[["row", "category", "sic", "expense_type", "service_area"]
                                                      ].itertuples(index=False, name=None):  # fmt: skip
        key = (str(category), str(sic), str(expense), str(area))
        if key not in seen:
            seen[key] = place_one(key[0], key[1], key[2], key[3], every, sectors)
        found = seen[key]
        if isinstance(found, str):
            problems.append(Problem(Path(path), int(row), "sic", sic, found))
            found = Placement(UNMAPPED, "", found)
        elif found.sector and found.sector not in sectors:
            problems.append(Problem(Path(path), int(row), "category", category or expense,
                                    f"is industry {found.sector}, which this table does not have"))  # fmt: skip
        out.append((found.category, found.sector, found.how))
    if problems:
        lines = [str(p) for p in problems[:25]]
        more = [f"... and {len(problems) - 25} more"] if len(problems) > 25 else []
        raise RecordsError("\n  ".join([f"{path}: {len(problems)} payment(s) in no industry", *lines, *more]))
    return pd.DataFrame(out, columns=["category", "sector", "how"], index=payments.index)


def category_label(category: str, names: Mapping[str, str]) -> str:
    """A category in words: ``building_maintenance`` -> ``"building maintenance"``; an IOAT code -> its name."""
    if category in CATEGORIES or category == UNMAPPED:
        return category.replace("_", " ")
    return names.get(category, category)


__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "UNMAPPED",
    "Placement",
    "Rule",
    "category_label",
    "category_of",
    "default_rules",
    "place",
    "place_one",
    "read_rules",
    "tokens",
]
