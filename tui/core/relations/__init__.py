"""Relations, chains, document categories and span attributes: their schema and model."""
