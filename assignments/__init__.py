"""The exercise stubs students fill in."""
