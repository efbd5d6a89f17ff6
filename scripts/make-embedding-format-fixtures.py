#!/usr/bin/python3
"""Writes src/test/resources/embedding-formats.json: vectors and what numpy makes of them, as
sentence-transformers' quantize_embeddings defines float16, int8 (with calibration ranges) and
binary, and OpenAI base64 (little-endian float32). EmbeddingEncoderTest checks batchwise against it.

Run with Debian's python3-numpy: /usr/bin/python3 scripts/make-embedding-format-fixtures.py
"""
import base64
import json
import pathlib

import numpy as np

rng = np.random.default_rng(7)
dim = 24  # a multiple of 8: quantize_embeddings packs the bits of the whole array at once
vectors = rng.normal(size=(6, dim)).astype(np.float32)
vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
vectors[0, :4] = [0.0, -0.0, 1e-9, -65519.0]  # zeros, a value that rounds to a subnormal half, a large one
calibration = rng.normal(size=(50, dim)).astype(np.float32) * 0.3
ranges = np.vstack((np.min(calibration, axis=0), np.max(calibration, axis=0)))
starts = ranges[0, :]
steps = (ranges[1, :] - ranges[0, :]) / 255
# sentence-transformers: ((embeddings - starts) / steps - 128).astype(np.int8), here kept in range first
int8 = np.clip((vectors - starts) / steps - 128, -128, 127).astype(np.int8)
binary = (np.packbits(vectors > 0).reshape(vectors.shape[0], -1) - 128).astype(np.int8)
out = {
    "vectors": vectors.tolist(),
    "float16_bits": vectors.astype(np.float16).view(np.uint16).astype(int).tolist(),
    "int8_min": ranges[0].tolist(),
    "int8_max": ranges[1].tolist(),
    "int8": int8.astype(int).tolist(),
    "binary": binary.astype(int).tolist(),
    "base64": [base64.b64encode(v.astype("<f4").tobytes()).decode() for v in vectors],
}
path = pathlib.Path(__file__).resolve().parent.parent / "src/test/resources/embedding-formats.json"
path.write_text(json.dumps(out) + "\n")
print("wrote", path)
