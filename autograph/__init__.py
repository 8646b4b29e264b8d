"""autograph: Python control flow to graph control flow, source to source."""
