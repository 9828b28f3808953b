"""Results of the Resultatenmonitor to the school's LVS: intake, queue and the UWLR sender."""

from services.results.documents import DocumentError
from services.results.service import ResultsService

__all__ = ["DocumentError", "ResultsService"]
