"""CloudWatch alarms and other monitoring resources."""

from __future__ import annotations
