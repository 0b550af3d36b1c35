import os

# internal errors raise in tests instead of becoming notifications
os.environ.setdefault("LEAKLINT_STRICT", "1")

# commands the tests run check in their own process, whatever daemon the machine runs (the
# daemon's tests turn forwarding on for their own commands)
os.environ["LEAKLINT_DAEMON"] = "0"
