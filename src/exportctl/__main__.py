"""`python -m exportctl`: the same command line as the `exportctl` script."""

from exportctl.fronts.cli.startup import pause_gc

pause_gc()  # before the command line's imports (fronts.cli.startup)

from exportctl.fronts.cli.main import run  # noqa: E402

if __name__ == "__main__":
    run()
