"""The nightly Basispoort sync: deliveries (EDEXML 2.1, Basispoort JSON) applied per school."""

from services.sync.service import SyncService, parse_delivery, read_delivery
from services.sync.snapshot import DeliveryError

__all__ = ["DeliveryError", "SyncService", "parse_delivery", "read_delivery"]
