"""Community insight: the concern taxonomy, tagging of free text and the period summary."""
