"""Cleanup paths: code that runs when its owner (a component, an element, a connection) goes away.

Rules that pair an acquisition with its release (`listener-leak`, `uncleared-timer`) accept a
release only where it can run. Two questions, both answered from the syntax around a function:

* `teardown_reason(model, fn)`: is `fn` a cleanup path by convention? A React effect cleanup
  (the function returned by a `useEffect` callback), a teardown method (`componentWillUnmount`,
  Vue `beforeUnmount`/`unmounted`/`beforeDestroy`/`destroyed`, Angular `ngOnDestroy`,
  `disconnectedCallback`, `destroy`/`dispose`/`close`/`stop`), a teardown hook callback
  (`onBeforeUnmount(fn)`, `onUnmounted(fn)`, `onDestroy(fn)`, `onScopeDispose(fn)`), a
  `close`/`end`/`disconnect`/`finish` handler, or a returned disposer. Returns a short
  description for messages ("`componentWillUnmount`"), or None.
* `can_run(model, fn)`: can `fn` be called at all? A named function that nothing references, or a
  cleanup defined in an effect but never returned, cannot. Methods, callbacks, returned, exported
  and stored functions can.

`enclosing_teardown(model, node)` combines them for the code at `node`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import tree_sitter as ts

from leaklint.semantic.lifetime import call_arguments, callee_name, function_name
from leaklint.semantic.scope import ScopeKind
from leaklint.syntax import climb, string_value

if TYPE_CHECKING:
    from leaklint.semantic.model import SemanticModel

TEARDOWN_METHODS = frozenset({
    "componentWillUnmount",  # React class components
    "beforeUnmount", "unmounted", "beforeDestroy", "destroyed",  # Vue options API (3 and 2)
    "ngOnDestroy",  # Angular
    "disconnectedCallback",  # custom elements
    "destroy", "dispose", "close", "stop",  # objects with an explicit end of life
})
# `onUnmounted(() => ...)`: Vue composition API, Svelte and Angular `DestroyRef.onDestroy`
TEARDOWN_HOOKS = frozenset({"onBeforeUnmount", "onUnmounted", "onDestroy", "onScopeDispose"})
EFFECT_HOOKS = frozenset({"useEffect", "useLayoutEffect", "useInsertionEffect"})
# events that end a connection, request or stream: their handlers are cleanup paths
END_EVENTS = frozenset({"close", "end", "disconnect", "finish"})
_LISTEN_METHODS = frozenset({"on", "once", "addListener", "prependListener", "prependOnceListener",
                             "addEventListener"})


def _callback_of(fn: ts.Node) -> ts.Node | None:
    """The call that `fn` is passed to as an argument, if it is."""
    _, parent = climb(fn)
    if parent is not None and parent.type == "arguments" and parent.parent is not None \
            and parent.parent.type in ("call_expression", "new_expression"):
        return parent.parent
    return None


def _declared_name(fn: ts.Node, node: ts.Node, parent: ts.Node) -> ts.Node | None:
    """The identifier a function is declared as: `function f() {}`, `const f = () => {}` (`node` is
    `fn` out of its parentheses, `parent` what holds it); None for any other function."""
    name_node = None
    if fn.type in ("function_declaration", "generator_function_declaration"):
        name_node = fn.child_by_field_name("name")
    elif parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        name_node = parent.child_by_field_name("name")
    return name_node if name_node is not None and name_node.type == "identifier" else None


def _returned_from(model: SemanticModel, fn: ts.Node) -> ts.Node | None:
    """The function that returns `fn` (`return () => ...`, `() => () => ...`, `return cleanup`)."""
    node, parent = climb(fn)
    if parent is None:
        return None
    if parent.type == "return_statement":
        return model.enclosing_function(parent)
    if parent.type == "arrow_function" and parent.child_by_field_name("body") == node:
        return parent
    name_node = _declared_name(fn, node, parent)
    binding = model.resolve(name_node) if name_node is not None else None
    if binding is None:
        return None
    for ref in binding.references:
        if ref.is_init or not ref.is_read:
            continue
        _, rparent = climb(ref.node)
        if rparent is not None and rparent.type == "return_statement":
            return model.enclosing_function(rparent)
    return None


def teardown_reason(model: SemanticModel, fn: ts.Node) -> str | None:
    """Why `fn` runs when its owner goes away (a short description), or None."""
    name = function_name(fn)
    _, parent = climb(fn)
    is_member = fn.type == "method_definition" or (parent is not None and parent.type in (
        "pair", "field_definition", "public_field_definition"))
    if is_member and name in TEARDOWN_METHODS:
        return f"`{name}`"
    call = _callback_of(fn)
    if call is not None:
        cname = callee_name(call)
        if cname in TEARDOWN_HOOKS:
            return f"`{cname}`"
        if cname in _LISTEN_METHODS:
            args = call_arguments(call)
            event = string_value(args[0]) if args else None
            if event in END_EVENTS:
                return f"the `'{event}'` handler"
    outer = _returned_from(model, fn)
    if outer is not None:
        effect = _callback_of(outer)
        if effect is not None and callee_name(effect) in EFFECT_HOOKS:
            return f"the `{callee_name(effect)}` cleanup"
        return "the returned disposer"
    return None


def can_run(model: SemanticModel, fn: ts.Node) -> bool:
    """False only when nothing can call `fn`: a named function that is never referenced."""
    node, parent = climb(fn)
    if parent is None:
        return True
    name_node = _declared_name(fn, node, parent)
    if name_node is None:
        return True  # a method, a callback, a returned, stored or invoked function
    if parent.type == "export_statement":
        return True
    binding = model.resolve(name_node)
    if binding is None or binding.scope.kind is ScopeKind.GLOBAL:
        return True  # a script's top-level function: other scripts may call it
    return any(not ref.is_init and ref.is_read for ref in binding.references)


def enclosing_teardown(model: SemanticModel, node: ts.Node) -> tuple[ts.Node, str] | None:
    """The innermost enclosing function of `node` that is a cleanup path, with its description."""
    for fn in model.enclosing_functions(node):
        reason = teardown_reason(model, fn)
        if reason is not None:
            return fn, reason
    return None


__all__ = ["END_EVENTS", "TEARDOWN_HOOKS", "TEARDOWN_METHODS", "can_run", "enclosing_teardown", "teardown_reason"]
