"""leaklint: find memory-leak-prone JavaScript and TypeScript before it ships."""

__version__ = "0.1.0"

__all__ = ["__version__", "check_paths", "check_text"]


def __getattr__(name: str):
    if name in ("check_paths", "check_text"):
        from leaklint import api

        return getattr(api, name)
    raise AttributeError(name)
