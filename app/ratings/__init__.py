"""Ratings: one score per person and paper, with an optional comment."""
