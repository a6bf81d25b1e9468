"""Signed intelligence packages between Pinchpoint instances.

:func:`package_statements` decides what a package for a partner may hold,
:func:`write_package` seals those statements for that agency, :func:`read_package`
verifies a received package against the trusted keys (:mod:`pinchpoint.sharing.trust`)
and :func:`import_package` stores exactly what was signed, owned by the sender.
"""

from pinchpoint.sharing import trust
from pinchpoint.sharing.disclosure import package_statements
from pinchpoint.sharing.package import (
    ImportReport,
    Package,
    PackageError,
    PackageInfo,
    import_package,
    read_package,
    write_package,
)
from pinchpoint.sharing.trust import TrustedKey, TrustError

__all__ = [
    "ImportReport",
    "Package",
    "PackageError",
    "PackageInfo",
    "TrustError",
    "TrustedKey",
    "import_package",
    "package_statements",
    "read_package",
    "trust",
    "write_package",
]
