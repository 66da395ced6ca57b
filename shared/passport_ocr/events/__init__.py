"""Trigger event parsing: every platform's upload notification to `ObjectRef`s."""
