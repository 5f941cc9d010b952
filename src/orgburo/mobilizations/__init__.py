"""Mobilizations: decrees, quotas down the tree, selection, assignment and tracking."""
