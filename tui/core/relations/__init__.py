"""Relations, coreference chains, document categories and span attributes (issue 14)."""
