"""Neighbour graphs (exact and approximate) shared by the checks that need neighbours."""
