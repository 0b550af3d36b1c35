import os

# internal errors raise in tests instead of becoming notifications
os.environ.setdefault("LEAKLINT_STRICT", "1")
