"""Framework-free domain rules: no Django import anywhere in this package (tests enforce it)."""
