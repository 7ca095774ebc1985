"""The acceptance suite's step definitions (behave loads every module here)."""
