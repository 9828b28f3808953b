"""Result exchange with the school's LVS: couplings, their keys and status, and the LVS clients."""

from services.exchange.service import ExchangeService

__all__ = ["ExchangeService"]
