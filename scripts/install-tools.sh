# Sourced by scripts/test: tools the tests drive that do not belong in the project's
# own environment (they pin conflicting versions). Each goes into its own place.
# Filled in by the infrastructure tests (checkov, osls).
:
