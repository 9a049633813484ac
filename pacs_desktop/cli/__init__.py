"""The command-line front, one module per command group."""
