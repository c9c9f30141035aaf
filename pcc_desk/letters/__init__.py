"""Writing Word files: follow-up letters with real footnotes, tracker exports."""
