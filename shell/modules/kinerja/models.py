"""Models of the kinerja app."""
