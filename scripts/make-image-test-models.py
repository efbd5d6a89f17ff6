#!/usr/bin/python3
"""Makes the tiny image models the tests load, with Debian's PyTorch, and their outputs in PyTorch.

Writes, under src/test/resources/models/:
  tiny-vit/       a ViT-style model (patch embedding, a [CLS] token, one attention block, layer norm,
                  a classifier head), exported to ONNX as Optimum exports ViT: input pixel_values with
                  every axis dynamic (batch_size, num_channels, height, width), outputs logits and
                  pooler_output; preprocessor_config.json as ViTImageProcessor saves it (32x32,
                  bilinear, mean and std 0.5); config.json with id2label
  tiny-resnet/    a ResNet-style model (stem, one residual block, average pool), exported with the
                  batch axis dynamic and the rest fixed, outputs logits and pooler_output
                  [batch, channels, 1, 1] as Hugging Face's ResNet gives it; preprocessor_config.json
                  as microsoft/resnet-50's (ConvNextImageProcessor, crop_pct 0.875, bicubic)
  image-expected.json
                  for test pictures, the pixel_values of Hugging Face's steps (Pillow's resize, as
                  scripts/make-test-images.py computes them) and each model's outputs on them, run
                  eagerly in PyTorch

The weights are random (seeded): the tests check that batchwise runs a model as PyTorch does, not
what the model knows. Each model is a few tens of kilobytes.

Run from the repository root: /usr/bin/python3 scripts/make-image-test-models.py
The files it writes are committed; the tests need no Python.
"""
import importlib.util
import json
import os

import numpy as np
import torch
from PIL import Image
from torch import nn

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "src", "test", "resources", "models")
IMAGES = os.path.join(ROOT, "src", "test", "resources", "images")
LABELS = ["cat", "dog", "bird", "fish"]

spec = importlib.util.spec_from_file_location("images", os.path.join(ROOT, "scripts", "make-test-images.py"))
images = importlib.util.module_from_spec(spec)
spec.loader.exec_module(images)


class TinyViT(nn.Module):
    def __init__(self, size=32, patch=8, dim=24, classes=len(LABELS)):
        super().__init__()
        self.patch = nn.Conv2d(3, dim, patch, stride=patch)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.1)
        self.pos = nn.Parameter(torch.randn(1, (size // patch) ** 2 + 1, dim) * 0.1)
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(), nn.Linear(2 * dim, dim))
        self.norm = nn.LayerNorm(dim)
        self.pooler = nn.Sequential(nn.Linear(dim, dim), nn.Tanh())
        self.head = nn.Linear(dim, classes)
        self.dim = dim

    def forward(self, pixel_values):
        x = self.patch(pixel_values).flatten(2).transpose(1, 2)          # [B, N, D]
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1) + self.pos
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        attn = torch.softmax(q @ k.transpose(1, 2) / self.dim ** 0.5, dim=-1)
        x = x + self.proj(attn @ v)
        x = x + self.mlp(self.norm2(x))
        x = self.norm(x)
        return self.head(x[:, 0]), self.pooler(x[:, 0])


class TinyResNet(nn.Module):
    def __init__(self, width=16, classes=len(LABELS)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(width),
                                  nn.ReLU())
        self.block = nn.Sequential(nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
                                   nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(width, classes)

    def forward(self, pixel_values):
        x = self.stem(pixel_values)
        x = torch.relu(x + self.block(x))
        pooled = self.pool(x)                                             # [B, C, 1, 1]
        return self.head(pooled.flatten(1)), pooled


VIT_PREPROCESSOR = {"image_processor_type": "ViTImageProcessor", "do_resize": True,
                    "size": {"height": 32, "width": 32}, "resample": 2, "do_rescale": True,
                    "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.5, 0.5, 0.5],
                    "image_std": [0.5, 0.5, 0.5]}
RESNET_PREPROCESSOR = {"image_processor_type": "ConvNextImageProcessor", "do_resize": True,
                       "size": {"shortest_edge": 32}, "crop_pct": 0.875, "resample": 3, "do_rescale": True,
                       "rescale_factor": 1 / 255, "do_normalize": True, "image_mean": [0.485, 0.456, 0.406],
                       "image_std": [0.229, 0.224, 0.225]}
PICTURES = ["photo.png", "formats/baseline.jpg", "formats/palette.png", "formats/grey.png"]


def save(name, model, preprocessor, dynamic):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.eval()
    example = torch.zeros(2, 3, 32, 32)
    axes = {"pixel_values": dynamic, "logits": {0: "batch_size"}, "pooler_output": {0: "batch_size"}}
    torch.onnx.export(model, (example,), os.path.join(d, "model.onnx"), input_names=["pixel_values"],
                      output_names=["logits", "pooler_output"], dynamic_axes=axes, opset_version=14)
    with open(os.path.join(d, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor, f, indent=2)
        f.write("\n")
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"id2label": {str(i): label for i, label in enumerate(LABELS)}}, f, indent=2)
        f.write("\n")
    cases = []
    for picture in PICTURES:
        arr = np.asarray(Image.open(os.path.join(IMAGES, picture)).convert("RGB"))
        pixels = images.hf_preprocess(arr, preprocessor)
        with torch.no_grad():
            logits, pooled = model(torch.from_numpy(pixels).unsqueeze(0))
        cases.append({"image": picture, "logits": logits[0].tolist(), "pooler_output": pooled.flatten(1)[0].tolist()})
    return cases


def main():
    torch.manual_seed(7)
    vit = TinyViT()
    resnet = TinyResNet()
    with torch.no_grad():  # batch norm statistics that are not the identity
        for m in resnet.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 1.5)
    expected = {"torch_version": torch.__version__, "labels": LABELS,
                "tiny-vit": save("tiny-vit", vit, VIT_PREPROCESSOR,
                                 {0: "batch_size", 1: "num_channels", 2: "height", 3: "width"}),
                "tiny-resnet": save("tiny-resnet", resnet, RESNET_PREPROCESSOR, {0: "batch_size"})}
    with open(os.path.join(OUT, "image-expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
