"""Partners, users, roles, entitlements, the audit log and retention."""
