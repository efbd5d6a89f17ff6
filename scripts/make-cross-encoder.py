#!/usr/bin/python3
"""Makes two tiny cross-encoders for the score task's tests, with Debian's PyTorch, and their scores.

Writes, under src/test/resources/models/:
  cross-encoder-1/model.onnx, config.json   one logit (sentence-transformers' CrossEncoder: sigmoid)
  cross-encoder-2/model.onnx, config.json   two classes, id2label not_relevant/relevant (softmax, class 1)
  cross-encoder-expected.json               the pairs, their token ids, and each model's scores as
                                            computed here by PyTorch, eagerly, on the same weights

The model: token ids (modulo a small vocabulary) plus token type embeddings -> one self-attention
layer over the attention mask -> the first token's vector -> a linear head. It takes input_ids,
attention_mask and token_type_ids, [batch, tokens] int64, as a BERT cross-encoder does, and padding
must not change a pair's score (the attention masks it).

The token ids are what all-MiniLM-L6-v2's tokenizer.json (BERT's uncased vocabulary) gives for each
pair, [CLS] text [SEP] text_pair [SEP] with type ids 0 then 1; the test checks that batchwise's
tokenizer still gives them, so it can run the models on text end to end.

Run from the repository root: /usr/bin/python3 scripts/make-cross-encoder.py
The files it writes are committed; the tests and CI need no Python.
"""
import json
import math
import os

import torch
from torch import nn

VOCAB, DIM = 1009, 16
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "models")
PAIRS = [
    ("what is the capital of france", "paris is the capital of france",
     [101, 2054, 2003, 1996, 3007, 1997, 2605, 102, 3000, 2003, 1996, 3007, 1997, 2605, 102], 8),
    ("how do plants make food", "photosynthesis turns light into sugar",
     [101, 2129, 2079, 4264, 2191, 2833, 102, 7760, 6038, 25078, 4332, 2422, 2046, 5699, 102], 7),
    ("what is the capital of france", "the cat sat on the mat",
     [101, 2054, 2003, 1996, 3007, 1997, 2605, 102, 1996, 4937, 2938, 2006, 1996, 13523, 102], 8),
    ("who wrote hamlet", "shakespeare wrote hamlet in about 1600",
     [101, 2040, 2626, 8429, 102, 8101, 2626, 8429, 1999, 2055, 14883, 102], 5),
]


class TinyCrossEncoder(nn.Module):
    def __init__(self, labels):
        super().__init__()
        self.tokens = nn.Embedding(VOCAB, DIM)
        self.types = nn.Embedding(2, DIM)
        self.q = nn.Linear(DIM, DIM)
        self.k = nn.Linear(DIM, DIM)
        self.v = nn.Linear(DIM, DIM)
        self.norm = nn.LayerNorm(DIM)
        self.head = nn.Linear(DIM, labels)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.tokens(torch.remainder(input_ids, VOCAB)) + self.types(token_type_ids)
        scores = self.q(x) @ self.k(x).transpose(1, 2) / math.sqrt(DIM)
        masked = (1.0 - attention_mask[:, None, :].to(torch.float32)) * -10000.0
        x = self.norm(x + torch.softmax(scores + masked, dim=-1) @ self.v(x))
        return self.head(x[:, 0, :])


def make(name, labels, id2label, seed):
    torch.manual_seed(seed)
    model = TinyCrossEncoder(labels).eval()
    with torch.no_grad():
        model.head.weight.mul_(4.0)  # scores spread over (0, 1), not all near 0.5
    directory = os.path.join(OUT, name)
    os.makedirs(directory, exist_ok=True)
    ids = torch.tensor([PAIRS[0][2]])
    types = torch.tensor([[0] * PAIRS[0][3] + [1] * (len(PAIRS[0][2]) - PAIRS[0][3])])
    torch.onnx.export(model, (ids, torch.ones_like(ids), types), os.path.join(directory, "model.onnx"),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={n: {0: "batch", 1: "tokens"} for n in ["input_ids", "attention_mask", "token_type_ids"]}
                      | {"logits": {0: "batch"}}, opset_version=14)
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({"architectures": ["TinyCrossEncoder"], "id2label": id2label}, f, indent=2)
    scores = []
    with torch.no_grad():
        for _, _, pair_ids, first in PAIRS:
            t = torch.tensor([pair_ids])
            tt = torch.tensor([[0] * first + [1] * (len(pair_ids) - first)])
            logits = model(t, torch.ones_like(t), tt)[0]
            scores.append(torch.sigmoid(logits[0]).item() if labels == 1 else torch.softmax(logits, -1)[1].item())
    return scores


expected = {
    "pairs": [{"text": a, "text_pair": b, "ids": ids} for a, b, ids, _ in PAIRS],
    "cross-encoder-1": make("cross-encoder-1", 1, {"0": "LABEL_0"}, 11),
    "cross-encoder-2": make("cross-encoder-2", 2, {"0": "not_relevant", "1": "relevant"}, 12),
}
with open(os.path.join(OUT, "cross-encoder-expected.json"), "w") as f:
    json.dump(expected, f, indent=2)
print(json.dumps(expected, indent=2))
