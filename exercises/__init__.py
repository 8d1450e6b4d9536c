"""The exercise units: one folder per exercise module (see autograder.registry)."""
