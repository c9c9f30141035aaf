"""Compiled Designer forms: generated from ``ui/*.ui`` by ``python -m pcc_desk.gui.forms.build``; do not edit."""
