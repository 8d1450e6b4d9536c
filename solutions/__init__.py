"""Reference solutions of the exercises (installed as autograder.reference)."""
