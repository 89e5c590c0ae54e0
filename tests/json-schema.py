#!/usr/bin/env python3
"""json-schema.py - validate cgisetup's --json documents against schemas/.

Usage: json-schema.py SCHEMA [FILE...]    (standard input without FILE)

Each FILE holds exactly one JSON document (what one --json run prints).
Prints one line per violation, with the JSON path, and exits 1 when there
is any; 2 when a file is not JSON or the schema uses a keyword this
validator does not know (so no part of a schema is silently ignored).

The subset of JSON Schema (draft 2020-12) the schemas use: type, enum,
const, properties, required, additionalProperties (a boolean), items,
minimum, maximum, allOf, anyOf, oneOf, if/then/else and $ref to "#/$defs/...".
No network, no third-party module.
"""
import json
import sys

ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description"}
KNOWN = ANNOTATIONS | {
    "type", "enum", "const", "properties", "required", "additionalProperties",
    "items", "minimum", "maximum", "allOf", "anyOf", "oneOf", "if", "then", "else", "$ref",
}


class SchemaError(Exception):
    pass


def type_ok(value, name):
    # bool is an int in Python, never in JSON
    return {
        "null": value is None,
        "boolean": isinstance(value, bool),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }[name]


def same(a, b):
    # JSON equality: true is not 1
    return type(a) is type(b) and a == b


class Validator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise SchemaError("only local $ref is supported: %s" % ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, schema, value, path):
        unknown = set(schema) - KNOWN
        if unknown:
            raise SchemaError("unknown keyword(s) %s" % ", ".join(sorted(unknown)))
        out = []
        if "$ref" in schema:
            out += self.errors(self.resolve(schema["$ref"]), value, path)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(type_ok(value, t) for t in types):
                return out + ["%s: %s is not of type %s" % (path, json.dumps(value), "/".join(types))]
        if "enum" in schema and not any(same(value, e) for e in schema["enum"]):
            out.append("%s: %s is not one of %s" % (path, json.dumps(value), json.dumps(schema["enum"])))
        if "const" in schema and not same(value, schema["const"]):
            out.append("%s: %s is not %s" % (path, json.dumps(value), json.dumps(schema["const"])))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                out.append("%s: %s is below %s" % (path, value, schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                out.append("%s: %s is above %s" % (path, value, schema["maximum"]))
        if isinstance(value, dict):
            out += self.object_errors(schema, value, path)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                out += self.errors(schema["items"], item, "%s[%d]" % (path, i))
        out += self.combined_errors(schema, value, path)
        return out

    def object_errors(self, schema, value, path):
        out = []
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append("%s: '%s' is missing" % (path, key))
        for key, item in value.items():
            if key in props:
                out += self.errors(props[key], item, "%s.%s" % (path, key))
            elif schema.get("additionalProperties", True) is False:
                out.append("%s: '%s' is not in the schema" % (path, key))
        return out

    def combined_errors(self, schema, value, path):
        out = []
        for sub in schema.get("allOf", []):
            out += self.errors(sub, value, path)
        if "anyOf" in schema:
            tries = [self.errors(sub, value, path) for sub in schema["anyOf"]]
            if all(tries):
                out.append("%s: matches none of anyOf:" % path)
                out += ["  " + e for t in tries for e in t]
        if "oneOf" in schema:
            tries = [self.errors(sub, value, path) for sub in schema["oneOf"]]
            n = sum(1 for t in tries if not t)
            if n != 1:
                out.append("%s: matches %d of oneOf, not exactly one" % (path, n))
        if "if" in schema:
            branch = "then" if not self.errors(schema["if"], value, path) else "else"
            if branch in schema:
                out += self.errors(schema[branch], value, path)
        return out


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    validator = Validator(schema)
    files = argv[2:] or ["-"]
    bad = 0
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else open(name).read()
            doc = json.loads(text)
        except (OSError, ValueError) as e:
            print("%s: not one JSON document: %s" % (name, e))
            return 2
        try:
            errs = validator.errors(schema, doc, "$")
        except SchemaError as e:
            print("%s: %s" % (argv[1], e))
            return 2
        for e in errs:
            print("%s: %s" % (name, e))
        bad += bool(errs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
