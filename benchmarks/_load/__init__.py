"""Helpers of the benchmarks that drive Dealbot from outside: through the `dealbot` command
line, the environment and HTTP, never by importing the app's modules (they move)."""
