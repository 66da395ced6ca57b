"""Topics: publish each outcome as a CloudEvents 1.0 JSON message."""
