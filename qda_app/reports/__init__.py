"""Pure computations and writers for the workshop exports."""
