"""Signed intelligence packages between Pinchpoint instances.

:func:`write_package` seals statements for one partner agency, :func:`read_package`
verifies a received package against the trusted keys (:mod:`pinchpoint.sharing.trust`)
and :func:`import_package` stores exactly what was signed, owned by the sender.
"""

from pinchpoint.sharing import trust
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
    "read_package",
    "trust",
    "write_package",
]
