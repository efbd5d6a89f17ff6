#!/usr/bin/env python3
"""Greedy references for chat prompts on the tiny Qwen3 test decoder, from PyTorch run eagerly.

Loads the weights of target/test-decoders/tiny-qwen3/model.onnx (unpacked by the tests) into the
PyTorch module of scripts/make-test-decoders.py, checks that it reproduces every Qwen3 case of
src/test/resources/decoders/references.json (so the weights went where they belong), then decodes
greedily (full recompute, no cache, one prompt at a time) from each chat prompt given as token ids
and writes src/test/resources/openai/chat-greedy-references.json.

The prompt ids are the chat template's rendering (checked against transformers.js by
ChatTemplateComparisonTest) tokenized by the model's tokenizer.json as it is; BatchRunTest prints them
when they differ from the file. Usage:

    /usr/bin/python3 scripts/chat-greedy-references.py
"""
import importlib.util
import json
import os
import sys

import onnx
import torch
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "target", "test-decoders", "tiny-qwen3")
OUT = os.path.join(ROOT, "src", "test", "resources", "openai", "chat-greedy-references.json")

# the chats BatchRunTest sends: the rendered template's token ids, and max_tokens
CHATS = [
    {"custom_id": "chat", "max_tokens": 5,
     "prompt_ids": [151644, 8948, 198, 3430, 9814, 13, 151645, 198, 151644, 872, 198, 9707, 151645, 198, 151644,
                    77091, 198]},
    {"custom_id": "multi-turn", "max_tokens": 12,
     "prompt_ids": [151644, 872, 198, 3838, 374, 220, 17, 10, 17, 30, 151645, 198, 151644, 77091, 198, 19, 151645,
                    198, 151644, 872, 198, 3036, 220, 18, 10, 18, 30, 151645, 198, 151644, 77091, 198]},
]


def load_module():
    spec = importlib.util.spec_from_file_location("decoders", os.path.join(ROOT, "scripts", "make-test-decoders.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    decoders = load_module()
    with open(os.path.join(MODEL, "config.json")) as f:
        cfg = json.load(f)
    model = decoders.Qwen(cfg).eval()
    graph = onnx.load(os.path.join(MODEL, "model.onnx")).graph
    named = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    # torch.onnx.export folded each Linear's weight into a transposed MatMul operand, in the order the
    # forward pass uses them: per layer q, k, v, o, gate, up, down; then the tied head
    matmuls = [i.name for i in graph.initializer if i.name.startswith("onnx::MatMul_")]
    state = model.state_dict()
    order = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    with torch.no_grad():
        for name in state:
            if name in named:
                state[name].copy_(named[name])
        for n in range(cfg["num_hidden_layers"]):
            for k, proj in enumerate(order):
                state[f"layers.{n}.{proj}.weight"].copy_(named[matmuls[n * len(order) + k]].t())
    model.load_state_dict(state)
    layers, kv, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    eos = [151645, 151643]
    with open(os.path.join(ROOT, "src", "test", "resources", "decoders", "references.json")) as f:
        cases = json.load(f)["tiny-qwen3"]
    for c in cases:
        tokens, finish, _ = decoders.greedy_reference(model, layers, kv, hd, c["prompt_ids"], c["max_tokens"], eos)
        if tokens != c["tokens"] or finish != c["finish_reason"]:
            sys.exit(f"the loaded weights do not reproduce the reference for {c['prompt']!r}")
    out = []
    for chat in CHATS:
        tokens, finish, margin = decoders.greedy_reference(model, layers, kv, hd, chat["prompt_ids"],
                                                           chat["max_tokens"], eos)
        out.append(dict(chat, tokens=tokens, finish_reason=finish, min_margin=round(margin, 6)))
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"{len(cases)} references reproduced; {len(out)} chat references written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
