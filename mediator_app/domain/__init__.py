"""Pure dispute rules: no Qt, no SQLAlchemy (checked by tests/unit/test_layers.py)."""
