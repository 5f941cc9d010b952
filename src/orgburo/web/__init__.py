"""The web application: HTTP API, pages, and what they share."""
