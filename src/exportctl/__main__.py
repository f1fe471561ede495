"""`python -m exportctl` and the `exportctl` script: the command line, with gc paused before its imports."""

from exportctl.fronts.cli.startup import pause_gc

pause_gc()  # before the command line's imports (fronts.cli.startup)

from exportctl.fronts.cli.main import run  # noqa: E402


def main() -> None:
    """Run the command line (the `exportctl` console script's entry point)."""
    run()


if __name__ == "__main__":
    main()
