"""Helpers shared by the tests: sample files and registers, writers of generated variants, readers of
what the app wrote. Not tests themselves.

Import them as ``from support.<module> import ...`` (pytest puts ``tests/`` on ``sys.path`` through
``tests/conftest.py``; the scripts that use them put it there themselves). Fixtures stay in the
``conftest.py`` files; helpers never live there (``tests/gui/conftest.py`` shadows ``tests/conftest.py``
for ``from conftest import``).
"""
