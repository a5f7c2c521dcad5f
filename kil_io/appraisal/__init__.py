"""Appraisal of an organisation or a contract: its data model, local impact, LM3, commissioning.

- :mod:`~kil_io.appraisal.organisation`: Figure, Spend, Enterprise, Organisation (the data model);
- :mod:`~kil_io.appraisal.casefile`: the strict YAML case file that builds them;
- :mod:`~kil_io.appraisal.impact`: direct, indirect, induced and enabled effects, gross and net;
- :mod:`~kil_io.appraisal.additionality`: gross to net (leakage, displacement, substitution, deadweight);
- :mod:`~kil_io.appraisal.sensitivity`: one assumption at a time;
- :mod:`~kil_io.appraisal.lm3`: NEF's Local Multiplier 3;
- :mod:`~kil_io.appraisal.commissioning`: the same contract with a local or a national provider;
- :mod:`~kil_io.appraisal.model`: the one model behind all of them, for one draw or many;
- :mod:`~kil_io.appraisal.inputs` and :mod:`~kil_io.appraisal.defaults`: every input, typed, with its range;
- :mod:`~kil_io.appraisal.central` and :mod:`~kil_io.appraisal.result`: ``appraise(case) -> Appraisal``, the
  one result every renderer formats;
- :mod:`~kil_io.appraisal.portfoliofile`, :mod:`~kil_io.appraisal.deduplication` and
  :mod:`~kil_io.appraisal.portfolio`: a portfolio file, what it would count twice, and its result
  (:func:`kil_io.appraise_portfolio` adds up the entries' appraisals).
"""

from kil_io.appraisal import additionality
from kil_io.appraisal.casefile import CATEGORIES, CaseStudy, load_case
from kil_io.appraisal.central import appraise
from kil_io.appraisal.commissioning import Provider, ProviderComparison, ProviderSpend, compare_providers
from kil_io.appraisal.impact import Impact, OrganisationImpact, demand_impact, organisation_impact
from kil_io.appraisal.lm3 import LM3Result, lm3_from_shares, organisation_lm3
from kil_io.appraisal.organisation import Enterprise, Figure, Organisation, Spend, organisation_of
from kil_io.appraisal.portfolio import Portfolio, PortfolioFileError, read_portfolio
from kil_io.appraisal.portfoliofile import PortfolioError, PortfolioFile, load_portfolio
from kil_io.appraisal.result import Appraisal, AppraisalFileError, Entity, Headline, Range, read_appraisal
from kil_io.appraisal.sensitivity import SENSITIVITY_KNOBS

__all__ = [
    "CATEGORIES",
    "SENSITIVITY_KNOBS",
    "Appraisal",
    "AppraisalFileError",
    "CaseStudy",
    "Enterprise",
    "Entity",
    "Figure",
    "Headline",
    "Impact",
    "LM3Result",
    "Organisation",
    "OrganisationImpact",
    "Portfolio",
    "PortfolioError",
    "PortfolioFile",
    "PortfolioFileError",
    "Provider",
    "ProviderComparison",
    "ProviderSpend",
    "Range",
    "Spend",
    "additionality",
    "appraise",
    "compare_providers",
    "demand_impact",
    "lm3_from_shares",
    "load_case",
    "load_portfolio",
    "organisation_impact",
    "organisation_lm3",
    "organisation_of",
    "read_appraisal",
    "read_portfolio",
]
