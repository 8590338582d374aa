"""The only writers of the geo app: area and address imports."""

from .addresses import (
    ADDRESS_COLUMNS,
    AddressImportReport,
    assign_street_municipalities,
    import_addresses,
)
from .areas import AreaImportReport, import_areas
from .common import ImportFileError

__all__ = [
    "ADDRESS_COLUMNS",
    "AddressImportReport",
    "AreaImportReport",
    "ImportFileError",
    "assign_street_municipalities",
    "import_addresses",
    "import_areas",
]
