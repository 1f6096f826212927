"""Functions the CLI, API and web adapters call: one core, thin adapters."""
