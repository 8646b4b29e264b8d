"""The runtime: operators that converted code calls, the backend registry and the embedded graph engine."""
