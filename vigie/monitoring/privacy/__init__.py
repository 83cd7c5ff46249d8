"""Differential privacy for statistics releases: OpenDP noise, consistent integer tables."""
