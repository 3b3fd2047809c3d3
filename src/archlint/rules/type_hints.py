"""ARC401-ARC403: missing type hints on the public API.

What is public is defined once, in :mod:`archlint.domain.public_api`; these rules only
turn its judgement into findings on the ``def`` line."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.public_api import (
    ApiFunction,
    TypeHintsOptions,
    coverage_by_package,
    package_of,
    public_functions,
)
from archlint.domain.rule import Rule
from archlint.rules.catalog.type_hints import LOW_ANNOTATION_COVERAGE, MISSING_PARAM_ANNOTATION, MISSING_RETURN_ANNOTATION


def _percent(value: float) -> str:
    """``79.6``, ``50``: one decimal, never rounded up to the bar it misses."""
    text = f"{int(value * 10) / 10:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _kind(item: ApiFunction) -> str:
    kind = "method" if "." in item.function.qualname else "function"
    return f"public {kind}" if item.public else f"private {kind}"


class MissingParamAnnotation(Rule):
    """A public function with unannotated parameters."""

    meta = MISSING_PARAM_ANNOTATION

    def check(self, project: Project, options: TypeHintsOptions) -> Iterator[Finding]:
        """One finding per public function with unannotated parameters."""
        for item in public_functions(project, options):
            if not item.missing_params:
                continue
            names = "`" + "`, `".join(item.missing_params) + "`"  # `a`, `b`
            plural = "s" if len(item.missing_params) > 1 else ""
            yield self.finding(
                path=item.path,
                line=item.function.line,
                column=item.function.column,
                message=f"{_kind(item)} `{item.function.qualname}` has unannotated parameter{plural} {names}",
                identity=item.identity,
                extra={"qualname": item.function.qualname, "missing": list(item.missing_params)},
            )


class MissingReturnAnnotation(Rule):
    """A public function without a return annotation."""

    meta = MISSING_RETURN_ANNOTATION

    def check(self, project: Project, options: TypeHintsOptions) -> Iterator[Finding]:
        """One finding per public function without a return annotation."""
        for item in public_functions(project, options):
            if not item.missing_return:
                continue
            hint = " (fixable: `-> None`)" if item.return_fixable else ""
            yield self.finding(
                path=item.path,
                line=item.function.line,
                column=item.function.column,
                message=f"{_kind(item)} `{item.function.qualname}` has no return annotation{hint}",
                identity=item.identity,
                extra={"qualname": item.function.qualname, "fixable": item.return_fixable},
            )


class LowAnnotationCoverage(Rule):
    """A package whose public API is mostly unannotated."""

    meta = LOW_ANNOTATION_COVERAGE

    def check(self, project: Project, options: TypeHintsOptions) -> Iterator[Finding]:
        """One finding per package below the bar."""
        if options.min_coverage <= 0:
            return
        by_package = coverage_by_package(project, public_functions(project, options))
        anchors = {facts.module: facts.path for facts in project.files if facts.is_package}
        for facts in project.files:  # sorted by path: without __init__, the first module
            anchors.setdefault(package_of(facts), facts.path)
        for package, coverage in by_package.items():
            if coverage.percent >= options.min_coverage or package not in anchors:
                continue
            name = package or "(top level)"
            scope = "checked" if options.include_private else "public"
            yield self.finding(
                path=anchors[package],
                line=1,
                message=(
                    f"package `{name}`: {coverage.annotated} of {coverage.total} {scope} functions fully "
                    f"annotated ({_percent(coverage.percent)}% < {options.min_coverage:g}%)"
                ),
                identity=package,
                extra={"package": package, "annotated": coverage.annotated, "total": coverage.total},
            )
