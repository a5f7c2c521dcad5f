"""Explore an area's multipliers in JupyterLab: any area, year, industries, method, δ and measure at a click.

``kil_io.explore("Calderdale", 2021, ["Q87 & Q88", "P85"])`` shows controls (a searchable area
picker over every authority, ITL area, combined authority and nation; a year; industries as
"code: name"; the location-quotient method; δ, live only for FLQ and AFLQ; every measure with its
unit), a chart and a table, which redraw whenever a control moves.

Why the chart is PNG bytes: JupyterLab 4.6 runs widget callbacks on a kernel thread of their own
(``commsOverSubshells``), and pyplot's figure manager drawn off the main thread comes back blank or
half-drawn. Each redraw here builds a fresh :class:`matplotlib.figure.Figure` with the Agg canvas
(no pyplot state, safe on any thread), renders it to PNG and sets it as the value of an
``ipywidgets.Image``; a lock keeps two redraws from interleaving. So the chart is whole whichever
thread runs the callback, with no JupyterLab setting to change.
"""

from __future__ import annotations

import html
import io
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from kil_io import datasets
from kil_io.errors import KilIOError
from kil_io.model.multipliers import COLUMNS, compare
from kil_io.model.validation import check_sectors
from kil_io.regional.quotients import DEFAULT_DELTA
from kil_io.reporting import plots, reports

#: Location-quotient methods, as the method dropdown shows them.
METHODS: dict[str, str] = {
    "slq": "SLQ (simple location quotient)",
    "cilq": "CILQ (cross-industry)",
    "flq": "FLQ (Flegg; uses δ)",
    "aflq": "AFLQ (augmented Flegg; uses δ)",
}
#: Methods with a δ parameter; the δ slider is disabled for the others.
USES_DELTA = frozenset({"flq", "aflq"})
#: Every measure of :func:`kil_io.multipliers`, labelled with its unit, in its order.
MEASURES: dict[str, str] = {c: plots.AXIS_LABELS[c] for c in COLUMNS}
#: The two kinds of multiplier, as the table names them.
KINDS = {"type_i": "Type I", "type_ii": "Type II"}
#: How each kind of area is named in the picker.
KIND_NAMES = {
    "local_authority": "local authority", "itl3": "ITL3", "itl2": "ITL2", "itl2_2021": "ITL2 (2021)",
    "itl1": "region", "nation": "nation", "combined_authority": "combined authority",
}  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """One state of the controls."""

    area: str
    year: int
    sectors: tuple[str, ...]
    method: str = "flq"
    delta: float = DEFAULT_DELTA
    measure: str = "employment_effect"


@lru_cache(maxsize=1)
def area_options() -> dict[str, str]:
    """Picker label -> area code, for every area with employment (authorities first)."""
    frame = datasets.areas()
    frame = frame[[bool(y) for y in frame["years"]]]
    return {f"{r.name} ({KIND_NAMES.get(r.kind, r.kind)}, {r.code})": str(r.code) for r in frame.itertuples()}


def area_label(area: str) -> str:
    """The picker's label of an area given by name or code (``AreaError`` with "did you mean" if unknown)."""
    code = datasets.area(area).code
    found = [label for label, c in area_options().items() if c == code]
    if not found:
        raise KilIOError(f"area {area!r} has no BRES employment to regionalise with")
    return found[0]


@lru_cache(maxsize=32)
def _local(code: str, year: int, method: str, delta: float) -> Any:
    return datasets.regional_iot(code, year, method=method, delta=delta)  # type: ignore[arg-type]


def view(choice: Choice) -> tuple[bytes, pd.DataFrame, str]:
    """The chart (PNG bytes), the table and the title of one choice; the figure never touches pyplot.

    Raises
    ------
    KilIOError
        Unknown area, year or sector (with "did you mean").
    """
    code = area_options().get(choice.area) or datasets.area(choice.area).code
    delta = choice.delta if choice.method in USES_DELTA else DEFAULT_DELTA
    local = _local(code, choice.year, choice.method, delta)
    uk = datasets.uk_iot(datasets.national_year_for(choice.year))
    sectors = check_sectors(local.sector_names, choice.sectors, local.label)
    if not sectors:
        raise KilIOError("choose at least one industry")
    table = compare({str(local.area): local, "UK": uk}, sectors, columns=COLUMNS)
    how = f", δ {delta:g}" if choice.method in USES_DELTA else " (no δ)"
    title = f"{local.area} ({choice.year}), {choice.method.upper()}{how}"
    ours = table[str(local.area)].droplevel("name")
    fig = Figure(figsize=plots.bars_size(len(sectors)), layout="constrained", dpi=100)
    plots.draw_multiplier_bars(fig, ours["type_i"], ours["type_ii"], choice.measure, sectors,
                               names=local.sector_names, title=title)  # fmt: skip
    buf = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buf)
    shown = table.T.rename(index={**KINDS, **MEASURES})  # the measures as the dropdown names them
    return buf.getvalue(), reports.readable(shown, 3), title


class Explorer:
    """The controls, chart and table of :func:`explore`; :meth:`redraw` is safe on any thread."""

    def __init__(self, choice: Choice) -> None:
        try:  # JupyterLab's controls: the `lab` extra, not a run-time dependency (case studies run headless)
            import ipywidgets as widgets
        except ImportError:
            raise KilIOError("kil_io.explore needs ipywidgets, which comes with JupyterLab: "
                             "pip install 'kil_io[lab]' (or make test's development install)") from None  # fmt: skip
        self._lock = threading.Lock()
        self._syncing = False  # the year list follows the area: those updates are not a user's change
        self.choice = choice
        names = datasets.uk_iot(datasets.national_year_for(choice.year)).sector_names
        style = {"description_width": "80px"}
        wide = widgets.Layout(width="520px")
        self.area = widgets.Combobox(value=choice.area, options=list(area_options()), ensure_option=True,
                                     placeholder="type an area", description="Area", style=style,
                                     layout=wide)  # fmt: skip
        self.year = widgets.Dropdown(options=self._years(choice.area), value=choice.year, description="Year",
                                     style=style)  # fmt: skip
        self.find = widgets.Text(placeholder="filter industries (code or name)", description="Find", style=style,
                                 layout=wide)  # fmt: skip
        self._all = [(f"{code}: {name}", code) for code, name in names.items()]
        self.sectors = widgets.SelectMultiple(options=self._all, value=choice.sectors, rows=8,
                                              description="Industries", style=style, layout=wide)  # fmt: skip
        self.method = widgets.Dropdown(options=[(v, k) for k, v in METHODS.items()], value=choice.method,
                                       description="Method", style=style, layout=wide)  # fmt: skip
        # three decimals: the slider's steps (0.225) read as the chart's title has them, not rounded to 0.23
        self.delta = widgets.FloatSlider(value=choice.delta, min=0.0, max=0.5, step=0.025, description="δ",
                                         readout_format=".3f", disabled=choice.method not in USES_DELTA,
                                         style=style)  # fmt: skip
        self.measure = widgets.Dropdown(options=[(v, k) for k, v in MEASURES.items()], value=choice.measure,
                                        description="Measure", style=style, layout=wide)  # fmt: skip
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.table = widgets.HTML()
        # the industries wrap below the other controls where the notebook is narrower than both columns,
        # rather than both columns scrolling sideways with their labels cut
        self.widget = widgets.VBox([
            widgets.HBox([widgets.VBox([self.area, self.year, self.method, self.delta, self.measure]),
                          widgets.VBox([self.find, self.sectors])], layout=widgets.Layout(flex_flow="row wrap")),
            self.message, self.image, self.table,
        ])  # fmt: skip
        self.find.observe(self._filter, names="value")
        for control in (self.area, self.year, self.sectors, self.method, self.delta, self.measure):
            control.observe(self._changed, names="value")
        self.redraw()

    def _years(self, label: str) -> list[int]:
        code = area_options().get(label)
        return list(datasets.employment_years(datasets.area(code))) if code else [self.choice.year]

    def _filter(self, change: dict[str, Any]) -> None:
        text = str(change["new"]).lower()
        chosen = self.sectors.value
        shown = [o for o in self._all if text in o[0].lower() or o[1] in chosen]
        self.sectors.options = shown
        self.sectors.value = tuple(c for c in chosen if any(o[1] == c for o in shown))

    def _changed(self, _change: dict[str, Any]) -> None:
        if self._syncing or self.area.value not in area_options():
            return  # still typing: the picker holds text that is not an area yet
        years = self._years(self.area.value)
        if list(self.year.options) != years:
            keep = self.year.value if self.year.value in years else years[-1]
            self._syncing = True
            try:
                self.year.options, self.year.value = years, keep
            finally:
                self._syncing = False
        self.delta.disabled = self.method.value not in USES_DELTA
        self.choice = replace(self.choice, area=self.area.value, year=int(self.year.value),
                              sectors=tuple(self.sectors.value), method=self.method.value,
                              delta=float(self.delta.value), measure=self.measure.value)  # fmt: skip
        self.redraw()

    def redraw(self) -> bool:
        """Draw the chart and table of :attr:`choice`; ``False`` with the reason shown if it cannot be drawn."""
        with self._lock:
            try:
                png, table, _title = view(self.choice)
            except Exception as err:  # a callback's exception reaches no one: show it
                name = "" if isinstance(err, KilIOError) else f"{type(err).__name__} (a kil_io bug: please report): "
                self.message.value = f"<p style='color:#a00'>{html.escape(name + str(err))}</p>"
                return False
            self.image.value = png
            self.table.value = table.to_html(float_format=lambda v: f"{v:,.3f}", na_rep="..")
            self.message.value = ""
            return True

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        # a static view (nbconvert, GitHub, papermill's saved notebook) shows the chart; JupyterLab the controls
        bundle["image/png"] = bytes(self.image.value)
        bundle["text/plain"] = f"kil_io explorer: {self.choice.area}, {self.choice.year}, {self.choice.method.upper()}"
        return bundle


def explore(
    area: str = "Calderdale",
    year: int = 2021,
    sectors: tuple[str, ...] | list[str] = ("Q87 & Q88", "P85", "S94"),
    *,
    method: str = "flq",
    delta: float = DEFAULT_DELTA,
    measure: str = "employment_effect",
) -> Explorer:
    """Controls, chart and table of an area's Type I and Type II multipliers, redrawn at every change.

    Parameters
    ----------
    area : str
        Any GB area by name or code (``"Bristol"``, ``"E08000033"``, ``"West Yorkshire"``).
    year : int
        Employment year (the year dropdown lists the area's).
    sectors : sequence of str
        IOAT industry codes (``"Q87 & Q88"``); unknown codes get "did you mean".
    method : {"slq", "cilq", "flq", "aflq"}
    delta : float
        FLQ/AFLQ δ, in [0, 0.5] on the slider (unit-free).
    measure : str
        A column of :func:`kil_io.multipliers` (``"employment_effect"`` [FTE per £1m]).

    Returns
    -------
    Explorer
        Shows itself as the controls in JupyterLab (and as the chart in a static notebook).

    Raises
    ------
    KilIOError
        Unknown area, year, sector, method or measure, before any control is drawn.
    """
    if method not in METHODS:
        raise KilIOError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    if measure not in MEASURES:
        raise KilIOError(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    label = area_label(area)
    years = datasets.employment_years(datasets.area(area_options()[label]))
    if year not in years:
        raise KilIOError(f"no employment for {label} in {year}; years: {', '.join(map(str, years))}")
    names = datasets.uk_iot(datasets.national_year_for(year)).sector_names
    chosen = tuple(check_sectors(names, sectors, f"the UK table of {datasets.national_year_for(year)}"))
    return Explorer(Choice(label, int(year), chosen, method, float(delta), measure))
