"""Readers for the files clerks bring in: letters, minutes, transcripts, response letters.

Importers only parse: they return plain dataclasses and never touch the database. The services decide
what is saved. Every reader refuses bad input with :class:`pcc_desk.errors.ImportRejected` and a
one-line reason that names the file.
"""
