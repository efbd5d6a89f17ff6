#!/usr/bin/python3
"""Makes the small image files the image tests decode, and what Pillow makes of them.

Writes, under src/test/resources/images/:
  formats/      one small picture saved in every format and variant batchwise decodes (baseline,
                progressive and CMYK JPEG; RGB, RGBA, grey, palette and 16-bit PNG; GIF; BMP;
                lossy, lossless and alpha WebP)
  decoded.json.gz
                for each of those files, the RGB pixels Pillow decodes (Image.convert("RGB"))
  preprocessed.json.gz
                for a picture and a list of preprocessor_config.json settings, the pixel_values
                Hugging Face's image processors compute: Pillow's resize, then centre crop (with
                zero padding), rescale in float64 then float32, normalise in float32, channels first;
                align_corners from PyTorch's interpolate(align_corners=True), as TensorFlow's.

The pictures are drawn here (gradients, stripes and a disc), so they carry no licence but this
project's. Run from the repository root with Debian's Python, which has Pillow, numpy and PyTorch:
  /usr/bin/python3 scripts/make-test-images.py
The files it writes are committed; the tests need no Python.
"""
import base64
import gzip
import io
import json
import math
import os
import struct
import zlib

import numpy as np
import torch
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "images")


def picture(w, h, seed):
    """A picture with smooth parts, edges and fine detail, so every filter has something to do."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127.5 + 127.5 * np.sin(x / w * 2.7 + seed)
    g = 255.0 * (y / max(h - 1, 1))
    b = np.where(((x + 2 * y) // 3) % 2 == 0, 40.0, 215.0)
    disc = (x - w * 0.6) ** 2 + (y - h * 0.4) ** 2 < (min(w, h) * 0.25) ** 2
    r = np.where(disc, 250.0, r)
    g = np.where(disc, 30.0, g)
    return np.clip(np.stack([r, g, b], axis=-1).round(), 0, 255).astype(np.uint8)


def png16(path, rgb16):
    """A 16-bit RGB PNG, written by hand (Pillow writes no 48-bit PNG)."""
    h, w, _ = rgb16.shape
    raw = b"".join(b"\x00" + rgb16[row].astype(">u2").tobytes() for row in range(h))

    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def formats():
    d = os.path.join(OUT, "formats")
    os.makedirs(d, exist_ok=True)
    a = picture(37, 23, 0.3)
    im = Image.fromarray(a)
    im.save(os.path.join(d, "baseline.jpg"), quality=92)
    im.save(os.path.join(d, "progressive.jpg"), quality=92, progressive=True)
    im.convert("CMYK").save(os.path.join(d, "cmyk.jpg"), quality=95)
    im.convert("L").save(os.path.join(d, "grey.jpg"), quality=92)
    im.save(os.path.join(d, "rgb.png"))
    rgba = im.convert("RGBA")
    alpha = np.tile(np.linspace(0, 255, 37).astype(np.uint8), (23, 1))
    rgba.putalpha(Image.fromarray(alpha))
    rgba.save(os.path.join(d, "rgba.png"))
    im.convert("L").save(os.path.join(d, "grey.png"))
    im.convert("LA").save(os.path.join(d, "grey-alpha.png"))
    im.quantize(colors=16).save(os.path.join(d, "palette.png"))
    im.quantize(colors=4).save(os.path.join(d, "palette-2bit.png"), bits=2)
    pal = im.quantize(colors=16)
    pal.save(os.path.join(d, "palette-transparent.png"), transparency=3)
    grey16 = (np.asarray(im.convert("L")).astype(np.uint16) * 256 + 100).astype(np.uint16)
    Image.fromarray(grey16, mode="I;16").save(os.path.join(d, "grey16.png"))
    png16(os.path.join(d, "rgb16.png"), a.astype(np.uint16) * 256 + 177)
    im.save(os.path.join(d, "image.gif"))
    im.save(os.path.join(d, "image.bmp"))
    im.save(os.path.join(d, "lossy.webp"), quality=90)
    im.save(os.path.join(d, "lossless.webp"), lossless=True)
    rgba.save(os.path.join(d, "alpha.webp"), lossless=True)
    im.save(os.path.join(d, "image.tiff"))

    decoded = {}
    for name in sorted(os.listdir(d)):
        src = Image.open(os.path.join(d, name))
        if src.mode in ("I;16", "I"):
            # Pillow 9 clips 16-bit grey to 255 when converting to 8 bits; a viewer shows the high byte
            arr = (np.asarray(src).astype(np.uint32) >> 8).astype(np.uint8)
            rgb = np.stack([arr] * 3, axis=-1)
        elif name == "rgb16.png":
            rgb = a  # the high bytes of a * 256 + 177
        else:
            rgb = np.asarray(src.convert("RGB"))
        decoded[name] = {"width": rgb.shape[1], "height": rgb.shape[0],
                         "rgb": base64.b64encode(np.ascontiguousarray(rgb).tobytes()).decode()}
    write_gz("decoded.json.gz", {"pillow": Image.__version__, "files": decoded})


def hf_preprocess(arr, cfg):
    """Hugging Face's steps on a uint8 RGB array, as image_processing_vit/clip/convnext run them."""
    image = arr
    size = cfg.get("size")
    if cfg.get("do_resize", True):
        resample = cfg.get("resample", 2)
        if cfg.get("align_corners"):
            t = torch.from_numpy(image.astype(np.float32) * np.float32(cfg.get("rescale_factor", 1 / 255)))
            t = t.permute(2, 0, 1).unsqueeze(0)
            t = torch.nn.functional.interpolate(t, size=(size["height"], size["width"]), mode="bilinear",
                                                align_corners=True)
            image = t[0].permute(1, 2, 0).numpy()
        else:
            h, w = image.shape[:2]
            if "shortest_edge" in size:
                edge = size["shortest_edge"]
                if cfg.get("image_processor_type") == "ConvNextImageProcessor" and edge < 384:
                    edge = int(edge / cfg.get("crop_pct", 224 / 256))
                short, long = (w, h) if w <= h else (h, w)
                new_long = int(edge * long / short)
                oh, ow = (new_long, edge) if w <= h else (edge, new_long)
            else:
                oh, ow = size["height"], size["width"]
            image = np.array(Image.fromarray(image).resize((ow, oh), resample=resample))
    crop = cfg.get("crop_size")
    if cfg.get("image_processor_type") == "ConvNextImageProcessor" and size["shortest_edge"] < 384:
        crop = {"height": size["shortest_edge"], "width": size["shortest_edge"]}
    if cfg.get("do_center_crop") or crop is not None and cfg.get("image_processor_type") == "ConvNextImageProcessor":
        ch, cw = crop["height"], crop["width"]
        h, w = image.shape[:2]
        top, left = (h - ch) // 2, (w - cw) // 2
        nh, nw = max(ch, h), max(cw, w)
        padded = np.zeros((nh, nw, 3), dtype=image.dtype)
        tp, lp = math.ceil((nh - h) / 2), math.ceil((nw - w) / 2)
        padded[tp:tp + h, lp:lp + w] = image
        top, left = top + tp, left + lp
        image = padded[max(0, top):min(nh, top + ch), max(0, left):min(nw, left + cw)]
    if cfg.get("do_rescale", True) and not cfg.get("align_corners"):
        image = (image.astype(np.float64) * cfg.get("rescale_factor", 1 / 255)).astype(np.float32)
    if cfg.get("do_normalize", True):
        image = image.astype(np.float32)
        mean = np.array(cfg["image_mean"], dtype=np.float32)
        std = np.array(cfg["image_std"], dtype=np.float32)
        image = (image - mean) / std
    image = image.astype(np.float32)
    if cfg.get("do_flip_channel_order"):
        image = image[..., ::-1]
    return np.ascontiguousarray(image.transpose(2, 0, 1))


HALF = {"image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
CLIP = {"image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711]}
CASES = [
    ("vit", dict(size={"height": 16, "width": 20}, resample=2, **HALF)),
    ("clip", dict(size={"shortest_edge": 24}, resample=3, do_center_crop=True, crop_size={"height": 20, "width": 20},
                  do_convert_rgb=True, **CLIP)),
    ("convnext", dict(image_processor_type="ConvNextImageProcessor", size={"shortest_edge": 24}, crop_pct=0.875,
                      resample=3, **HALF)),
    ("nearest-down", dict(size={"height": 9, "width": 13}, resample=0, **HALF)),
    ("nearest-up", dict(size={"height": 40, "width": 50}, resample=0, **HALF)),
    ("lanczos-down", dict(size={"height": 9, "width": 13}, resample=1, **HALF)),
    ("lanczos-up", dict(size={"height": 40, "width": 50}, resample=1, **HALF)),
    ("bilinear-up", dict(size={"height": 40, "width": 50}, resample=2, **HALF)),
    ("bicubic-down", dict(size={"height": 9, "width": 13}, resample=3, **HALF)),
    ("box-down", dict(size={"height": 9, "width": 13}, resample=4, **HALF)),
    ("hamming-down", dict(size={"height": 9, "width": 13}, resample=5, **HALF)),
    ("hamming-up", dict(size={"height": 40, "width": 50}, resample=5, **HALF)),
    ("one-axis", dict(size={"height": 61, "width": 30}, resample=3, **HALF)),
    ("crop-pads", dict(size={"height": 10, "width": 14}, resample=2, do_center_crop=True,
                       crop_size={"height": 16, "width": 12}, **HALF)),
    ("crop-only", dict(do_resize=False, do_center_crop=True, crop_size={"height": 31, "width": 44}, **HALF)),
    ("no-rescale", dict(size={"height": 16, "width": 20}, do_rescale=False, image_mean=[120, 110, 100],
                        image_std=[60, 50, 40])),
    ("no-normalize", dict(size={"height": 16, "width": 20}, do_normalize=False)),
    ("rescale-only-factor", dict(size={"height": 16, "width": 20}, rescale_factor=0.5, do_normalize=False)),
    ("flip-channels", dict(size={"height": 16, "width": 20}, do_flip_channel_order=True, **HALF)),
    ("align-corners", dict(size={"height": 20, "width": 30}, resample=2, align_corners=True, do_normalize=False)),
]


def preprocessed():
    d = os.path.join(OUT, "formats")
    arr = picture(97, 61, 1.1)
    Image.fromarray(arr).save(os.path.join(OUT, "photo.png"))
    cases = []
    for name, cfg in CASES:
        values = hf_preprocess(arr, cfg)
        cases.append({"name": name, "config": cfg, "shape": list(values.shape),
                      "values": base64.b64encode(values.astype("<f4").tobytes()).decode()})
    write_gz("preprocessed.json.gz", {"image": "photo.png", "pillow": Image.__version__, "torch": torch.__version__,
                                      "cases": cases})


def write_gz(name, value):
    """JSON, gzipped with no time stamp, so that running the script again writes the same bytes."""
    with open(os.path.join(OUT, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(json.dumps(value, indent=1, sort_keys=True).encode())


if __name__ == "__main__":
    formats()
    preprocessed()
