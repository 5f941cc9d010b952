"""The tree of bodies: committees, bureaus, primary organizations and their history."""
