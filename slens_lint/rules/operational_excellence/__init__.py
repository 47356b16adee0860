"""Operational excellence pillar rules, one module per rule."""
