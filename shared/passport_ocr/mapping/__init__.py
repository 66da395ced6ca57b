"""Pure mappers from each vendor answer format to `PassportRecord`."""
