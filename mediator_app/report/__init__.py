"""Documents for the record (the PDF case file): may use Qt, reads through services, never SQL."""
