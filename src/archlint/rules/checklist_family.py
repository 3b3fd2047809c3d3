"""The checklist rules ARC601-ARC606, in code order, for ``ALL_RULES``."""

from __future__ import annotations

from archlint.domain.rule import Rule
from archlint.rules.architecture import TangledArchitecture
from archlint.rules.async_io import BlockingCallInAsync
from archlint.rules.boundaries import UnvalidatedInput
from archlint.rules.queries import QueryInLoop
from archlint.rules.state import MutableGlobalState
from archlint.rules.structure import ProjectStructure

CHECKLIST_RULES: tuple[type[Rule], ...] = (
    TangledArchitecture,
    BlockingCallInAsync,
    MutableGlobalState,
    UnvalidatedInput,
    QueryInLoop,
    ProjectStructure,
)
