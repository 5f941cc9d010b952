"""Reading the audit trail: pages and API of a body's subtree's and a member's entries."""
