"""Models of the h5p app."""
