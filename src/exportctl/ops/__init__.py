"""The library calls the fronts use: each composes store + registry + engine for one job."""
