"""Signed intelligence packages between Pinchpoint instances.

:func:`package_statements` decides what a package for a partner may hold,
:func:`write_package` seals those statements for that agency, :func:`read_package`
verifies a received package against the trusted keys (:mod:`pinchpoint.sharing.trust`)
and :func:`import_package` (:mod:`pinchpoint.sharing.receive`) stores exactly what was
signed, owned by the sender;
:mod:`pinchpoint.sharing.heads` keeps the sender's signed audit head each package
carries, and refuses one that shows the sender's log shorter than before.
"""

from pinchpoint.sharing import heads, trust
from pinchpoint.sharing.disclosure import package_statements
from pinchpoint.sharing.package import (
    Package,
    PackageError,
    PackageInfo,
    read_package,
    write_package,
)
from pinchpoint.sharing.receive import ImportReport, import_package
from pinchpoint.sharing.trust import TrustedKey, TrustError

__all__ = [
    "ImportReport",
    "Package",
    "PackageError",
    "PackageInfo",
    "TrustError",
    "TrustedKey",
    "heads",
    "import_package",
    "package_statements",
    "read_package",
    "trust",
    "write_package",
]
