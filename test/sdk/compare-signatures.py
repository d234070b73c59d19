"""Compares platform_sdk.pyi's signatures with platform_sdk.py's: prints one JSON list of mismatches.

Usage: python3 compare-signatures.py IMPLEMENTATION STUB. For each name the implementation exports
(__all__), the stub must declare a function or class of that name. A function's parameters must
match by name, kind (positional, keyword-only, *args, **kwargs) and order; a plain function's
defaults must match too. An @overload may narrow a default away (stream: Literal[True]), never
rename, add, drop or reorder a parameter. A class's bases must match.
"""
import ast
import json
import sys


def parameters(func, with_defaults):
    args = func.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    shape = []
    for arg, default in zip(positional, defaults):
        shape.append((arg.arg, "positional", ast.unparse(default) if with_defaults and default else None))
    if args.vararg:
        shape.append((args.vararg.arg, "*args", None))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        shape.append((arg.arg, "keyword", ast.unparse(default) if with_defaults and default else None))
    if args.kwarg:
        shape.append((args.kwarg.arg, "**kwargs", None))
    if positional and positional[0].arg in ("self", "cls"):
        shape = shape[1:]
    return shape


def top_level(tree):
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            found.setdefault(node.name, []).append(node)
    return found


def is_overload(func):
    return any(ast.unparse(d) in ("overload", "typing.overload") for d in func.decorator_list)


def exported(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return [element.value for element in node.value.elts]
    raise SystemExit("the implementation has no __all__")


def compare(implementation, stub):
    impl, declared = top_level(implementation), top_level(stub)
    problems = []
    for name in exported(implementation):
        if name not in impl:
            continue  # a module re-exported by name (json)
        real = impl[name][0]
        if name not in declared:
            problems.append(f"{name}: missing from the stub")
            continue
        if isinstance(real, ast.ClassDef):
            bases = lambda c: [ast.unparse(b) for b in c.bases if ast.unparse(b) not in ("object",)]
            if not all(isinstance(d, ast.ClassDef) for d in declared[name]):
                problems.append(f"{name}: a class in the SDK, not in the stub")
            elif [b for b in bases(declared[name][0]) if not b.startswith("Iterator")] != bases(real):
                problems.append(f"{name}: bases {bases(real)} in the SDK, {bases(declared[name][0])} in the stub")
            continue
        for declaration in declared[name]:
            overload = is_overload(declaration)
            want, have = parameters(real, not overload), parameters(declaration, not overload)
            if want != have:
                problems.append(f"{name}: {have} in the stub, {want} in the SDK")
    return problems


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as impl_file, open(sys.argv[2], encoding="utf-8") as stub_file:
        print(json.dumps(compare(ast.parse(impl_file.read()), ast.parse(stub_file.read()))))
