"""Queues, topics, subscriptions, EventBridge rules and schedules."""

from __future__ import annotations
