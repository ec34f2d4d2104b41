"""What the parser's nodes are in C's words, for the refusal of one where it is not supported."""

from __future__ import annotations

from pycparser import c_ast

# What the parser's nodes are in C's words, for a refusal of one where it is not supported.
CONSTRUCTS = {
    "Compound": "statement expression ({ ... })",
    "StatementExpression": "statement expression ({ ... })",
    "Typename": "a type name here",
    "InitList": "an initializer list here",
    "NamedInitializer": "designated initializer",
    "StaticAssert": "_Static_assert",
    "GenericSelection": "_Generic",
    "Alignas": "_Alignas",
    "TypeOf": "typeof",
    "BitIntType": "_BitInt",
    "InferredType": "auto type inference",
    "Struct": "struct",
    "Union": "union",
    "Enum": "enum",
    "Typedef": "typedef",
    "FuncDef": "a function definition here",
    "FuncDecl": "function pointer",
    "Decl": "a declaration here",
    "DeclList": "a declaration here",
    "EllipsisParam": "variadic function",
    "Pragma": "#pragma here",
    "Goto": "goto and labels",
    "Label": "goto and labels",
    "CompoundLiteral": "compound literal",
    "StructRef": "struct and union members",
    "Attribute": "attributes",
    "AttributeSpecifier": "attributes",
    "AttributeDeclaration": "attributes",
    "AttributedStatement": "attributes",
    "AttributedType": "attributes",
}


def construct(node: c_ast.Node) -> str:
    """What a parser's node is, in C's words."""
    name = type(node).__name__
    if name in CONSTRUCTS:
        return CONSTRUCTS[name]
    words = "".join(" " + ch.lower() if ch.isupper() else ch for ch in name).strip()
    return f"this {words}"
