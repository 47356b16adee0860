"""API Gateway custom domain names (REST and HTTP)."""

from __future__ import annotations
