"""Reliability pillar rules, one module per rule."""
