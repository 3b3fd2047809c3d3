"""What the contract rules receive, in a module of its own: the rule catalog names it
on every run, while the contracts' classes and helpers (``domain/contracts.py``) load
only where contracts are parsed or checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from archlint.domain.contracts import Contract, ForbiddenContract, IndependenceContract, LayersContract

_C = TypeVar("_C", "LayersContract", "ForbiddenContract", "IndependenceContract")


@dataclass(frozen=True)
class ContractOptions:
    """What the contract rules receive: the configured contracts and whether zero-config
    layering is on (``[tool.archlint] layers = false`` turns it off)."""

    contracts: tuple[Contract, ...] = ()
    layers_auto: bool = True

    def of_type(self, kind: type[_C]) -> list[_C]:
        """The configured contracts of one type, in config order."""
        return [contract for contract in self.contracts if isinstance(contract, kind)]
