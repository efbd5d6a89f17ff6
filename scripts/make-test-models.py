#!/usr/bin/python3
"""Makes the tiny models the tests load, with Debian's PyTorch (apt-get install python3-torch).

Writes, under src/test/resources/models/:
  tiny-classifier/model.pt       TorchScript: forward(input_ids, attention_mask) -> logits [batch, 3]
  tiny-classifier/config.json    id2label: negative, neutral, positive
  tiny-classifier-onnx/model.onnx  the same weights exported to ONNX (inputs input_ids, attention_mask)
  tiny-classifier-onnx/config.json
  image-model/model.onnx         an ONNX model whose input is pixel_values: not a text model
  four-inputs/model.pt           TorchScript whose forward takes four tensors: not a text model
  expected.json                  logits the scripted model computes for fixed token ids

The model: token ids (taken modulo a small vocabulary) -> embedding -> mean over the attention
mask -> linear layer. Under 100 KB, so it can live in the repository. The token ids in CASES are
what all-MiniLM-L6-v2's tokenizer.json gives for the sentences (a test checks that they still do),
so the tests can run the models on text end to end and compare with the numbers printed here.

Run from the repository root: /usr/bin/python3 scripts/make-test-models.py
The files it writes are committed; the tests and CI need no Python.
"""
import json
import math
import os

import torch
from torch import nn

VOCAB, DIM, CLASSES = 997, 16, 3
LABELS = ["negative", "neutral", "positive"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "models")

CASES = [
    ("I love this product.", [101, 1045, 2293, 2023, 4031, 1012, 102]),
    ("The delivery was late and the box was damaged.",
     [101, 1996, 6959, 2001, 2397, 1998, 1996, 3482, 2001, 5591, 1012, 102]),
    ("It is a chair.", [101, 2009, 2003, 1037, 3242, 1012, 102]),
    ("Absolutely terrible support, never again!", [101, 7078, 6659, 2490, 1010, 2196, 2153, 999, 102]),
]


class TinyClassifier(nn.Module):
    vocab: int

    def __init__(self):
        super().__init__()
        self.vocab = VOCAB
        self.emb = nn.Embedding(VOCAB, DIM)
        self.fc = nn.Linear(DIM, CLASSES)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        x = self.emb(torch.remainder(input_ids, self.vocab))            # [B, T, D]
        m = attention_mask.unsqueeze(-1).to(x.dtype)               # [B, T, 1]
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)          # [B, D]
        return self.fc(pooled)                                     # [B, 3]


class ImageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)

    def forward(self, pixel_values):
        return self.fc(pixel_values)


class FourInputs(nn.Module):
    def forward(self, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, d: torch.Tensor) -> torch.Tensor:
        return (a + b + c + d).float()


def write_config(directory):
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({"architectures": ["TinyClassifier"], "id2label": {str(i): l for i, l in enumerate(LABELS)},
                   "max_position_embeddings": 64}, f, indent=2)
        f.write("\n")


def main():
    torch.manual_seed(3)  # a seed under which the cases get all three labels
    model = TinyClassifier().eval()
    pt_dir = os.path.join(OUT, "tiny-classifier")
    onnx_dir = os.path.join(OUT, "tiny-classifier-onnx")
    image_dir = os.path.join(OUT, "image-model")
    four_dir = os.path.join(OUT, "four-inputs")
    for d in (pt_dir, onnx_dir, image_dir, four_dir):
        os.makedirs(d, exist_ok=True)

    torch.jit.script(model).save(os.path.join(pt_dir, "model.pt"))
    write_config(pt_dir)

    example = (torch.tensor([CASES[0][1]]), torch.ones(1, len(CASES[0][1]), dtype=torch.int64))
    torch.onnx.export(model, example, os.path.join(onnx_dir, "model.onnx"), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], opset_version=13,
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "logits": {0: "batch"}})
    write_config(onnx_dir)

    torch.onnx.export(ImageModel().eval(), (torch.zeros(1, 4),), os.path.join(image_dir, "model.onnx"),
                      input_names=["pixel_values"], output_names=["logits"], dynamic_axes={"pixel_values": {0: "batch"}})

    torch.jit.script(FourInputs()).save(os.path.join(four_dir, "model.pt"))

    # All cases in one padded batch, as batchwise would run them, and each alone.
    scripted = torch.jit.load(os.path.join(pt_dir, "model.pt"))
    longest = max(len(ids) for _, ids in CASES)
    ids = torch.tensor([ids + [0] * (longest - len(ids)) for _, ids in CASES])
    mask = torch.tensor([[1] * len(ids) + [0] * (longest - len(ids)) for _, ids in CASES])
    with torch.no_grad():
        logits = scripted(ids, mask).tolist()
    cases = []
    for (text, token_ids), row in zip(CASES, logits):
        exp = [math.exp(v - max(row)) for v in row]
        probs = [e / sum(exp) for e in exp]
        best = max(range(CLASSES), key=lambda i: probs[i])
        cases.append({"text": text, "input_ids": token_ids, "logits": row, "label": LABELS[best], "score": probs[best]})
        print("%-50s %s -> %s %.6f" % (text, [round(v, 6) for v in row], LABELS[best], probs[best]))
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"torch_version": torch.__version__, "labels": LABELS, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
