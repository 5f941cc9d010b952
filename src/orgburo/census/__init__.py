"""The census: composition of any subtree at any date, and its change between dates."""
