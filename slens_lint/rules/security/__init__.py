"""Security pillar rules, one module per rule."""
