"""What the registry knows about each rule without importing it: its metadata and options.

One module per rule family (``catalog/cycles.py`` for ``rules/cycles.py``): the
:class:`~archlint.domain.rule.RuleMeta` of each rule and the options dataclasses, which
config validation and the memo keys need on every run. The rule modules (and the domain
code their checks use) load only when a rule actually runs (``docs/adr/0015``)."""

from __future__ import annotations

from archlint.domain.rule import RuleMeta
from archlint.rules.catalog import (
    architecture,
    async_io,
    boundaries,
    coupling,
    cycles,
    god_objects,
    layers,
    parse_errors,
    queries,
    state,
    structure,
    suppressions,
    type_hints,
)

RULES: tuple[tuple[RuleMeta, str], ...] = (
    (parse_errors.UNPARSABLE_FILE, "parse_errors:UnparsableFile"),
    (suppressions.UNUSED_SUPPRESSION_RULE, "suppressions:UnusedSuppressionRule"),
    (suppressions.SUPPRESSION_WITHOUT_REASON, "suppressions:SuppressionWithoutReason"),
    (god_objects.GOD_CLASS, "god_objects:GodClass"),
    (god_objects.LARGE_CLASS, "god_objects:LargeClass"),
    (god_objects.GOD_MODULE, "god_objects:GodModule"),
    (type_hints.MISSING_PARAM_ANNOTATION, "type_hints:MissingParamAnnotation"),
    (type_hints.MISSING_RETURN_ANNOTATION, "type_hints:MissingReturnAnnotation"),
    (type_hints.LOW_ANNOTATION_COVERAGE, "type_hints:LowAnnotationCoverage"),
    (coupling.HIGH_FAN_OUT, "coupling:HighFanOut"),
    (coupling.UNSTABLE_DEPENDENCY, "coupling:UnstableDependency"),
    (coupling.HUB_MODULE, "coupling:HubModule"),
    (coupling.PRIVATE_IMPORT, "coupling:PrivateImport"),
    (coupling.DEEP_IMPORT, "coupling:DeepImport"),
    (layers.LAYER_VIOLATION, "layers:LayerViolation"),
    (layers.FORBIDDEN_IMPORT, "layers:ForbiddenImport"),
    (layers.INDEPENDENCE_VIOLATION, "layers:IndependenceViolation"),
    (cycles.IMPORT_CYCLE, "cycles:ImportCycle"),
    (cycles.DEFERRED_IMPORT_CYCLE, "cycles:DeferredImportCycle"),
    (cycles.PACKAGE_CYCLE, "cycles:PackageCycle"),
    (cycles.IMPORT_TIME_CRASH, "cycles:ImportTimeCrash"),
    (architecture.TANGLED_ARCHITECTURE, "architecture:TangledArchitecture"),
    (async_io.BLOCKING_CALL_IN_ASYNC, "async_io:BlockingCallInAsync"),
    (state.MUTABLE_GLOBAL_STATE, "state:MutableGlobalState"),
    (boundaries.UNVALIDATED_INPUT, "boundaries:UnvalidatedInput"),
    (queries.QUERY_IN_LOOP, "queries:QueryInLoop"),
    (structure.PROJECT_STRUCTURE, "structure:ProjectStructure"),
)
"""Every rule in registry order: its metadata and its class, as ``"module:Class"`` under
``archlint.rules``."""

__all__ = ["RULES"]
