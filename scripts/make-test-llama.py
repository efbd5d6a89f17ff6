#!/usr/bin/python3
"""Makes tiny-llama, the third tiny test decoder, with Debian's PyTorch and ONNX: Llama style (grouped-
query attention with 4 query heads and 2 key/value heads of 8, rotary positions, RMSNorm, SwiGLU, tied
embeddings), random weights, exported like the others (scripts/make-test-decoders.py) in Optimum's
text-generation-with-past layout, with tiny-gpt2's tokenizer. Its heads are 8 wide, as ONNX Runtime's
GroupQueryAttention needs, so the tests cover the rewrite of grouped-query attention with rotary
positions into it (tiny-qwen3's heads are 4 wide). Its output head is one MatMul over the hidden states,
as in Optimum's exports, where the other two flatten the rows first.

The prompts and their ids are tiny-gpt2's references (tokenized by transformers.js when that model was
made), so this script needs neither node nor the network. It adds "tiny-llama" to references.json:
greedy tokens from PyTorch run eagerly, full recompute, one prompt at a time.

  /usr/bin/python3 scripts/make-test-llama.py
"""
import gzip
import importlib.util
import json
import os
import shutil

import torch

spec = importlib.util.spec_from_file_location("decoders", os.path.join(os.path.dirname(__file__), "make-test-decoders.py"))
decoders = importlib.util.module_from_spec(spec)
spec.loader.exec_module(decoders)


def main():
    out = os.path.join(decoders.OUT, "tiny-llama")
    gpt2 = os.path.join(decoders.OUT, "tiny-gpt2")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with gzip.open(os.path.join(gpt2, "tokenizer.json.gz"), "rb") as f, open(os.path.join(out, "tokenizer.json"), "wb") as g:
        shutil.copyfileobj(f, g)
    shutil.copy(os.path.join(gpt2, "tokenizer_config.json"), out)
    with open(os.path.join(gpt2, "config.json")) as f:
        gcfg = json.load(f)
    eos = gcfg["eos_token_id"]
    cfg = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": gcfg["vocab_size"],
           "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
           "num_key_value_heads": 2, "head_dim": 8, "max_position_embeddings": 128, "rms_norm_eps": 1e-5,
           "rope_theta": 10000.0, "hidden_act": "silu", "tie_word_embeddings": True, "bos_token_id": eos,
           "eos_token_id": eos, "use_cache": True, "torch_dtype": "float32"}
    decoders.write_json(os.path.join(out, "config.json"), cfg)
    decoders.write_json(os.path.join(out, "generation_config.json"), {"bos_token_id": eos, "eos_token_id": eos})
    # the output head as Optimum's exports have it, one MatMul over [batch, tokens, hidden] (the other
    # tiny decoders flatten the rows first), so that both forms of the head are tested
    decoders.tied_head = lambda h, weight: torch.matmul(h, weight.t())
    gen = torch.Generator().manual_seed(31)
    model = decoders.Qwen(cfg).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5 if p.dim() > 1 else 1.0 + 0.1 * torch.randn(p.shape, generator=gen))
        model.embed_tokens.weight[eos] *= 1.8  # so that some prompts end with the stop token
        model.norm.weight.mul_(2.0)
    layers, kv, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    decoders.export(model, layers, kv, hd, os.path.join(out, "model.onnx"))
    refs_path = os.path.join(decoders.OUT, "references.json")
    with open(refs_path) as f:
        references = json.load(f)
    cases = []
    for n, c in enumerate(references["tiny-gpt2"]):
        max_new = [6, 17, 40, 3, 25, 32, 11, 48][n % 8]
        tokens, finish, margin = decoders.greedy_reference(model, layers, kv, hd, c["prompt_ids"], max_new, [eos])
        cases.append({"prompt": c["prompt"], "prompt_ids": c["prompt_ids"], "max_tokens": max_new, "tokens": tokens,
                      "finish_reason": finish, "min_margin": round(margin, 6)})
    references["tiny-llama"] = cases
    for f in ("model.onnx", "tokenizer.json"):
        decoders.gz(os.path.join(out, f))
    decoders.write_json(refs_path, references)
    stops = sum(c["finish_reason"] == "stop" for c in cases)
    print(f"tiny-llama: {len(cases)} prompts, {stops} end on a stop token, smallest top-2 margin "
          f"{min(c['min_margin'] for c in cases):.4f}")


if __name__ == "__main__":
    main()
