#!/usr/bin/env python3
"""Extracts the part of OpenAI's published API specification (github.com/openai/openai-openapi, MIT
licence) that batch files touch, for the tests that check batchwise's lines against it
(src/test/java/dev/batchwise/openai/OpenAiSchemaTest.java).

    scripts/extract-openai-schemas.py OPENAPI_JSON BATCH_YAML OUT_JSON

OPENAPI_JSON: the newest openapi.json (OpenAPI 3.1): the request and response bodies of
  /v1/chat/completions, /v1/completions and /v1/embeddings and the error body, each with every
  schema it refers to.
BATCH_YAML: openapi.yaml at the last commit that still described the batch file's lines
  (BatchRequestInput, BatchRequestOutput; OpenAPI 3.0); its `nullable: true` is rewritten to the
  OpenAPI 3.1 (JSON Schema) form, a "null" member of `type`, so that one JSON Schema 2020-12
  validator reads every schema alike. Nothing else is changed.
"""
import json
import sys

import yaml

BODIES = ["CreateChatCompletionRequest", "CreateChatCompletionResponse", "CreateCompletionRequest",
          "CreateCompletionResponse", "CreateEmbeddingRequest", "CreateEmbeddingResponse", "ErrorResponse"]
LINES = ["BatchRequestInput", "BatchRequestOutput"]


def refs(node, out):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            out.append(ref.rsplit("/", 1)[1])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def closure(schemas, roots):
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            refs(schemas[name], todo)
    return {name: schemas[name] for name in sorted(seen)}


def nullable_to_type(node):
    if isinstance(node, list):
        return [nullable_to_type(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in ("example", "enum", "default") else nullable_to_type(v)) for k, v in node.items()}
    if out.pop("nullable", False) and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


def main(openapi_json, batch_yaml, out_json):
    new = json.load(open(openapi_json, encoding="utf-8"))
    old = yaml.safe_load(open(batch_yaml, encoding="utf-8"))
    schemas = closure(new["components"]["schemas"], BODIES)
    for name in LINES:
        schemas[name] = nullable_to_type(old["components"]["schemas"][name])
    doc = {
        "$comment": "Extracted by scripts/extract-openai-schemas.py from github.com/openai/openai-openapi "
                    "(MIT licence, Copyright (c) OpenAI; see LICENSE-openai-openapi beside this file): the bodies from "
                    "openapi.json (version " + new["info"]["version"] + ", OpenAPI " + new["openapi"] + "), the batch lines "
                    "from openapi.yaml (version " + str(old["info"]["version"]) + ", OpenAPI " + str(old["openapi"]) + ").",
        "components": {"schemas": schemas},
    }
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
