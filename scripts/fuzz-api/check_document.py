"""Checks the OpenAPI document a running server serves, before it is fuzzed.

    check_document.py URL

The document must be valid OpenAPI 3.1 (openapi-spec-validator), and every
example in it (of a schema, a parameter, a request body or a response) must
be valid by the schema it illustrates. Every request body must carry an
example: the fuzzer's first phase sends those examples, so each one is also
proved to be accepted by the server.
"""

import json
import sys
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_URI = "urn:rencontre:openapi"


def pointer(parts):
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def schema_examples(schema, path):
    """(where, schema path, example) of every example of a schema and of
    the schemas inside it."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("examples"), list):
        for index, example in enumerate(schema["examples"]):
            yield path + ["examples", index], path, example
    if "example" in schema:
        yield path + ["example"], path, schema["example"]
    for key in ("items", "additionalProperties", "propertyNames", "not"):
        yield from schema_examples(schema.get(key), path + [key])
    for key in ("properties", "patternProperties"):
        for name, inner in (schema.get(key) or {}).items():
            yield from schema_examples(inner, path + [key, name])
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for index, inner in enumerate(schema.get(key) or []):
            yield from schema_examples(inner, path + [key, index])


def examples_of(node, path):
    """(where, schema path, example) of every example in the document: of
    the component schemas, and of each parameter, body and response content
    (objects with a `schema`) with the schemas inside them."""
    if path == ["components", "schemas"]:
        for name, schema in node.items():
            yield from schema_examples(schema, path + [name])
        return
    if isinstance(node, dict):
        if isinstance(node.get("schema"), dict):
            schema_path = path + ["schema"]
            if "example" in node:
                yield path + ["example"], schema_path, node["example"]
            for name, example in (node.get("examples") or {}).items():
                if isinstance(example, dict) and "value" in example:
                    yield path + ["examples", name], schema_path, example["value"]
            yield from schema_examples(node["schema"], schema_path)
        for key, value in node.items():
            if key not in ("schema", "example", "examples"):
                yield from examples_of(value, path + [key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from examples_of(value, path + [index])


def main():
    url = sys.argv[1]
    with urllib.request.urlopen(url, timeout=10) as response:
        document = json.load(response)
    validate(document)
    problems = []
    registry = Registry().with_resource(DOCUMENT_URI, Resource(document, DRAFT202012))
    checked = 0
    for where, schema_path, example in examples_of(document, []):
        schema = {"$ref": f"{DOCUMENT_URI}#{pointer(schema_path)}"}
        validator = Draft202012Validator(schema, registry=registry)
        for error in validator.iter_errors(example):
            problems.append(f"{pointer(where)}: {error.message}")
        checked += 1
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for media_type, content in (operation.get("requestBody") or {}).get("content", {}).items():
                if "example" not in content and not content.get("examples"):
                    problems.append(f"{method.upper()} {path}: the {media_type} body has no example")
    if problems:
        print("The OpenAPI document is valid, but:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(1)
    print(f"OpenAPI document valid; {checked} examples valid by their schemas")


if __name__ == "__main__":
    main()
