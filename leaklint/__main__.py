"""`leaklint` and `python -m leaklint`: a check of standard input goes to a running daemon when
there is one (see `leaklint.daemon`); everything else, and every fallback, to the command line."""

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        from leaklint.daemon import forward

        code, data = forward(argv)
        if code is not None:
            sys.exit(code)
        if data is not None:  # read for the daemon, which could not run it: run it here
            import io

            sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    from leaklint.cli import main as cli_main

    cli_main(argv)


if __name__ == "__main__":
    main()
