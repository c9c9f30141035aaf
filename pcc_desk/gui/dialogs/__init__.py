"""Dialogs: static forms come from ``ui/*.ui`` (compiled into ``pcc_desk/gui/forms``); small dynamic ones are code."""
