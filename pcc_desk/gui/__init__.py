"""The desktop workbench (PySide6). The only part of PCC Desk that imports Qt; it talks to services."""
