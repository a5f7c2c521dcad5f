"""A held-out check of the interregional model: Scotland's purchases from the rest of the UK, against SG's.

Nothing in the interregional model is fitted to trade between places (no public table of it exists for
England), but the Scottish Government publishes, in its input-output tables, what each Scottish industry buys
from the rest of the UK (row ``RUKImp``, kept as ``imports_rest_of_uk`` in ``data/sg_iot_2019.csv``). The
model's 32 Scottish authorities, added up, buy from the other GB authorities
(:meth:`~kil_io.regional.interregional.Interregional.purchases_from_outside`); both are put on the
industries the two classifications share (:func:`kil_io.datasets.ioat_ioc_concordance`) and compared:

* ``wape``: the weighted absolute percentage error, ``sum |model - SG| / sum SG`` [%];
* ``correlation``: Pearson's correlation of the two by industry [ratio]; ``coefficient_correlation`` the same
  of purchases per £ of each industry's output (each side's own output), which leaves out the size of the
  industries;
* ``ratio``: the model's total over SG's [ratio].

SG counts as a purchase from the rest of the UK a good made abroad and bought from an English wholesaler; the
UK table's domestic use (which the model splits) holds only UK-made products, so the model's total is expected
to be lower, most of all for goods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kil_io.datasets.interregional import model
from kil_io.datasets.local import ioat_ioc_concordance, sg_iot
from kil_io.errors import LabelError
from kil_io.regional.interregional.gravity import DEFAULT_BETA

if TYPE_CHECKING:
    from kil_io.regional.interregional.economy import Interregional

#: The year of the shipped Scottish Government table.
YEAR = 2019


def scotland_check(interregional: Interregional | None = None, *, beta: float = DEFAULT_BETA) -> pd.DataFrame:
    """Scotland's modelled purchases from the rest of the UK by industry, beside the Scottish Government's.

    Parameters
    ----------
    interregional : Interregional, optional
        The model to check; default the model of 2019's employment on the UK table of 2019 (the SG table's year).
    beta : float
        The distance decay (default 1.0) [ratio].

    Raises
    ------
    LabelError
        A model on a UK table whose industries the concordance does not cover (2023's).

    Returns
    -------
    DataFrame
        Index the shared industries (``common``, with ``name``): ``model`` and ``sg`` [£m a year], ``model_output``
        and ``sg_output`` [£m], ``model_per_output`` and ``sg_per_output`` [£ per £1]. ``attrs``: ``wape`` [%],
        ``correlation``, ``coefficient_correlation``, ``ratio`` [ratio], ``beta``, ``year``, ``national_table``.

    Examples
    --------
    >>> check = scotland_check()  # doctest: +SKIP
    >>> round(check.attrs["correlation"], 2)  # doctest: +SKIP
    """
    m = model(YEAR, national_year=YEAR) if interregional is None else interregional
    m = m.with_beta(beta)
    bought = m.purchases_from_outside("Scotland")
    sg = sg_iot(YEAR)
    ruk = pd.Series(sg.primary_input("imports_rest_of_uk"), index=list(sg.sectors))
    concordance = ioat_ioc_concordance()
    common = concordance.set_index(["classification", "code"])["common"]
    names = concordance.drop_duplicates("common").set_index("common")["common_name"]
    ours = pd.DataFrame({"model": bought.to_numpy(), "model_output": bought.attrs["output"]}, index=bought.index)
    theirs = pd.DataFrame({"sg": ruk.to_numpy(), "sg_output": np.asarray(sg.output)}, index=ruk.index)
    unmapped = [c for c in ours.index if ("ioat", c) not in common.index]
    if unmapped:
        raise LabelError(f"the Scottish check needs the industries of the UK tables up to 2022 (the concordance's); "
                         f"this model's {m.about['national_table']} has {unmapped[:3]}: use model(2019, "
                         "national_year=2019), the default")  # fmt: skip
    ours = ours.groupby(ours.index.map(lambda c: common[("ioat", c)])).sum()
    theirs = theirs.groupby(theirs.index.map(lambda c: common[("ioc098", c)])).sum()
    out = ours.join(theirs, how="inner")
    out = out[(out["model_output"] > 0) & (out["sg_output"] > 0)]
    out["model_per_output"] = out["model"] / out["model_output"]
    out["sg_per_output"] = out["sg"] / out["sg_output"]
    out.insert(0, "name", names.reindex(out.index).to_numpy())
    out.index.name = "common"
    out.attrs.update(
        wape=float(100 * (out["model"] - out["sg"]).abs().sum() / out["sg"].sum()),
        correlation=float(np.corrcoef(out["model"], out["sg"])[0, 1]),
        coefficient_correlation=float(np.corrcoef(out["model_per_output"], out["sg_per_output"])[0, 1]),
        ratio=float(out["model"].sum() / out["sg"].sum()),
        beta=float(m.about["beta"]), year=int(m.about["year"]), national_table=str(m.about["national_table"]),
    )  # fmt: skip
    return out
