"""tracker: keep SEC prospectus supplements as versioned documents."""

__version__ = "0.1.0"
