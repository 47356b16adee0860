"""Cost pillar rules, one module per rule."""
