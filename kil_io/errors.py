"""The kil_io exception and warning tree.

Every error kil_io raises on purpose derives from :class:`KilIOError`, and every
message names the table, the sector and the numbers involved, so a user can find
the offending cell without a debugger.
"""

from __future__ import annotations

#: In IPython (Jupyter), a kil_io error shows its message alone; set False to see the full traceback.
SHORT_TRACEBACKS = True


class KilIOError(Exception):
    """Base of every kil_io error."""

    def _render_traceback_(self) -> list[str]:
        # IPython (Jupyter) shows these lines instead of the traceback: the message already names the file,
        # sector or area and what was expected, and a page of kil_io's internals hides it
        if not SHORT_TRACEBACKS:
            raise NotImplementedError  # IPython falls back to its own traceback
        return [f"{type(self).__name__}: {self}", "(the full traceback: kil_io.errors.SHORT_TRACEBACKS = False)"]


class TableError(KilIOError, ValueError):
    """Malformed input-output table: shapes, labels or values."""


class LabelError(TableError):
    """Sector or category labels that are missing, duplicated or do not agree."""


class NonNumericError(TableError):
    """A cell that is not a finite number (text, NaN or infinity)."""


class NegativeFlowError(TableError):
    """A negative value where the accounts allow none (intermediate flows, output, FTE)."""


class BalanceError(TableError):
    """Row totals (Z·1 + f) or column totals (1'Z + primary inputs) differ from output."""


class ZeroOutputError(TableError):
    """A sector with zero output that still buys, sells or employs."""


class NotProductiveError(KilIOError, ValueError):
    """``I - A`` has no non-negative inverse (spectral radius of ``A`` >= 1)."""


class RegionError(KilIOError, ValueError):
    """Regional employment or regionalisation options that cannot describe a region of the nation."""


class ModelError(KilIOError, ValueError):
    """A model that cannot be built from this table (e.g. Type II without households)."""


class CaseError(KilIOError, ValueError):
    """A case-study file or organisation that does not follow the schema (names the field)."""


class BatchError(KilIOError, ValueError):
    """A case list or batch run that cannot go ahead: unknown key, bad name, parameter or value (names them)."""


class ResultCollisionError(BatchError):
    """Two case files that map to one result folder name (``a-b.yaml``, ``a_b.yaml``): names both files."""


class ReaderError(KilIOError, ValueError):
    """A file that is not the official table the reader expects."""


class MissingFileError(ReaderError, FileNotFoundError):
    """A file that does not exist (also a ``FileNotFoundError``)."""

    def __str__(self) -> str:
        # ReaderError comes first in the MRO, so Exception.__str__ would print the args tuple
        if len(self.args) == 3:  # (errno, message, file name), as for FileNotFoundError
            return f"{self.args[2]}: {self.args[1]}"
        return super().__str__()


class RecordsError(KilIOError, ValueError):
    """An organisation's own file (accounts, staff, suppliers, spend) with bad rows or the wrong shape.

    The message names the file and, for each bad row, the row, the column and the value; a file of
    the wrong shape is told which columns were expected.
    """


class DatasetError(KilIOError, LookupError):
    """A shipped dataset that does not exist (unknown area or year)."""


class SectorError(DatasetError, KeyError):
    """A sector code a table does not have (the message suggests the nearest codes)."""

    def __str__(self) -> str:
        # KeyError's own __str__ quotes its argument: the message reads as a sentence instead
        return str(self.args[0]) if self.args else ""


class AreaError(DatasetError):
    """An area kil_io does not know, an ambiguous name, a bad group, or an area without the data asked for."""


class KilIOWarning(UserWarning):
    """Base of kil_io warnings: a documented, recoverable condition."""


class UnusedColumnWarning(KilIOWarning):
    """A column of an organisation's file that the reader does not use (its heading matches none it knows).

    The message names the file, the heading row and each unused heading, and where a heading looks like
    a column the file lacks (``Expense Area`` for ``service area``), what to rename it to; the file is
    read without it, never silently.
    """


class ZeroOutputWarning(KilIOWarning):
    """Ratio multipliers are NaN for sectors with zero output or zero direct effect."""


class NegativeFlowWarning(ZeroOutputWarning):
    """A sector buys a negative intermediate input, so it is left out of the Leontief system (ONS's rule).

    The message names the cell (supplier, buyer, value) and says that the sector's multipliers are NaN,
    as ONS publishes ``..`` for them; ``negative_flows="raise"`` refuses such a table instead.
    """


class MissingDataWarning(KilIOWarning):
    """Shipped data with cells the publisher left empty; they are returned as NaN."""


class AreaWarning(KilIOWarning):
    """An area given by a former name or code: the authority it became is used (the message says which)."""


class LimitError(ReaderError):
    """An input larger than kil_io reads: file size, expanded size, rows or cells (names the limit)."""


class ResultRecoveryWarning(KilIOWarning):
    """A result that a killed run set aside could not be put back; the message names its folder."""


class IllConditionedWarning(KilIOWarning):
    """``I - A`` is nearly singular (spectral radius of ``A`` close to 1); the message says how many digits are lost."""


class ImplausibleValueWarning(KilIOWarning):
    """A magnitude no economy has (jobs per £1m, pay per job): often a unit error; the message gives the numbers."""


class PlausibilityWarning(ImplausibleValueWarning):
    """A case file's figure that is allowed but looks wrong (£m typed as £, pay per FTE, spending above income).

    Checked when the file is read, against an organisation's plausible band (£15k-£150k per FTE),
    narrower than :class:`ImplausibleValueWarning`'s unit check at the impact; one filter on the
    parent silences both.
    """
