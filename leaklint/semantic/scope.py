"""Scopes, bindings and references: the vocabulary of the semantic model (eslint-scope's semantics)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Protocol

import tree_sitter as ts


class SourceType(enum.Enum):
    SCRIPT = "script"  # browser script: top-level declarations are globals
    COMMONJS = "commonjs"  # Node CommonJS: a function scope wraps the module
    MODULE = "module"  # ES module: module scope, always strict


class ScopeKind(enum.Enum):
    GLOBAL = "global"
    MODULE = "module"
    FUNCTION = "function"
    BLOCK = "block"
    FOR = "for"
    SWITCH = "switch"
    CATCH = "catch"
    CLASS = "class"
    WITH = "with"
    TS_MODULE = "ts-module"


# scopes that `var` hoists to (eslint-scope's variableScope)
VARIABLE_SCOPE_KINDS = frozenset({ScopeKind.GLOBAL, ScopeKind.MODULE, ScopeKind.FUNCTION, ScopeKind.TS_MODULE})


class BindingKind(enum.Enum):
    VAR = "var"
    LET = "let"
    CONST = "const"
    USING = "using"
    FUNCTION = "function"
    FUNCTION_NAME = "function-name"  # the name of a named function expression, visible inside it
    CLASS = "class"
    PARAM = "param"
    CATCH = "catch"
    IMPORT = "import"
    ENUM = "enum"
    NAMESPACE = "namespace"
    ARGUMENTS = "arguments"  # the implicit `arguments` of a non-arrow function
    DECLARED = "declared"  # TypeScript `declare` (ambient): a name with no runtime definition here


class Resolver(Protocol):
    def references_of(self, binding: "Binding") -> None: ...


@dataclass(eq=False, slots=True)
class Reference:
    name: str
    node: ts.Node  # the identifier
    scope: "Scope"  # where the reference occurs
    is_read: bool
    is_write: bool
    # the assignment / declarator / update node for writes; None for plain reads
    write_expr: ts.Node | None = None
    # true for the write made by a declaration itself: its initialiser (`let x = 1`), a destructuring
    # (`const {a} = o`), a parameter's default, a for-in/of variable
    is_init: bool = False
    binding: "Binding | None" = None  # None: resolves to the global object (known global or undeclared)

    @property
    def resolved(self) -> bool:
        return self.binding is not None


def _source_order(ref: Reference) -> tuple[int, bool]:
    return ref.node.start_byte, not ref.is_init


@dataclass(eq=False, slots=True)
class Binding:
    name: str
    kind: BindingKind
    scope: "Scope"
    node: ts.Node | None  # the declaring identifier
    declaration: ts.Node | None  # variable_declarator, function_declaration, class_declaration, ...
    # the initial value of a plain `name = value` declarator; None for a name inside a destructuring
    # pattern (`const {a} = o`: `a` is not `o`), a parameter or a for-in/of variable
    init: ts.Node | None = None
    _refs: list[Reference] = field(default_factory=list)
    _complete: bool = False

    def add_reference(self, ref: Reference) -> None:
        self._refs.append(ref)

    @property
    def references(self) -> list[Reference]:
        """Every reference to this binding, in source order (the declaration's own write first).

        Reads are resolved on demand: the first call asks the binder for every identifier of this
        name inside the binding's scope."""
        if not self._complete:
            self._complete = True
            resolver = self.scope.resolver
            if resolver is not None:
                resolver.references_of(self)
            self._refs.sort(key=_source_order)
        return self._refs

    @property
    def writes(self) -> list[Reference]:
        """The writes to this binding, in source order. Every write is resolved when the file is bound,
        so this never resolves the binding's reads."""
        if self._complete:
            return [r for r in self._refs if r.is_write]
        return sorted((r for r in self._refs if r.is_write), key=_source_order)

    @property
    def reads(self) -> list[Reference]:
        return [r for r in self.references if r.is_read]


@dataclass(eq=False, slots=True)
class Scope:
    kind: ScopeKind
    node: ts.Node
    parent: "Scope | None"
    is_strict: bool
    variables: dict[str, Binding] = field(default_factory=dict)
    children: list["Scope"] = field(default_factory=list)
    # the nearest function/module/global scope (where `var` goes)
    variable_scope: "Scope" = None  # type: ignore[assignment]
    # inside a `with` statement: names cannot be resolved statically
    dynamic: bool = False
    # resolves the references of this scope's bindings on demand (the binder)
    resolver: "Resolver | None" = None

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            b = scope.variables.get(name)
            if b is not None:
                return b
            scope = scope.parent
        return None

    @property
    def function_scope(self) -> "Scope":
        return self.variable_scope
