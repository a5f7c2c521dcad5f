"""The version of kil_io (one place; :data:`kil_io.__version__`)."""

__version__ = "0.3.0"
