"""The data model: FtM schemata and our extensions, grading, handling, person category,
and who reads (readers, roles, clearances): plain data every layer may use."""

from pinchpoint.model.category import PersonCategory, parse_category
from pinchpoint.model.ftm import get_model, make_entity, to_stock
from pinchpoint.model.grading import Grade, GradingError, GradingSystem, parse_grade
from pinchpoint.model.handling import (
    Classification,
    Handling,
    HandlingCode,
    HandlingError,
    parse_handling,
)
from pinchpoint.model.reader import AccessError, Clearance, Reader, Role, covered

__all__ = [
    "AccessError",
    "Classification",
    "Clearance",
    "Grade",
    "GradingError",
    "GradingSystem",
    "Handling",
    "HandlingCode",
    "HandlingError",
    "PersonCategory",
    "Reader",
    "Role",
    "covered",
    "get_model",
    "make_entity",
    "parse_category",
    "parse_grade",
    "parse_handling",
    "to_stock",
]
