"""Performance pillar rules, one module per rule."""
