"""Commands about deadlines and reports (filled in by the SLA engine)."""
COMMANDS: dict = {}
