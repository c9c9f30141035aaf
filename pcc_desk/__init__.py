"""PCC Desk: the casework desk for a police scrutiny committee's clerks."""

__version__ = "0.1.0"
