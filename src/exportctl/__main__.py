"""`python -m exportctl`: the same command line as the `exportctl` script."""

from exportctl.fronts.cli.main import run

if __name__ == "__main__":
    run()
