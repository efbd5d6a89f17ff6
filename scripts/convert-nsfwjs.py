#!/usr/bin/python3
"""Converts nsfwjs's MobileNetV2 classifier (TensorFlow.js layers format) to ONNX: batchwise's `nsfw`.

nsfwjs (https://github.com/infinitered/nsfwjs, MIT licence, Infinite Red) ships a Keras
MobileNetV2 trained to tell Drawing, Hentai, Neutral, Porn and Sexy pictures apart, as two
browserify bundles: the model's JSON and its weights, quantised to uint8 (value = min + scale *
q per tensor), base64. This script reads them with numpy and Debian's python3-onnx alone and
writes an ONNX graph that keeps the uint8 weights, so the file stays about the size of nsfwjs's
weights (2.8 MB against 3.5 MB of base64): each weight is Cast(q) * scale + min.

Not DequantizeLinear: ONNX Runtime deliberately leaves DequantizeLinear out of constant folding
(it keeps such nodes for its quantised kernels), so with float activations every call dequantised
all the weights again and no Conv+BatchNormalization was fused: 141 ms per image against 9.4 ms
with Cast/Mul/Add, which the session folds into float weights once when it loads the model.

The graph takes `pixel_values` [batch, 224, 224, 3] (channels last, as Keras), values in 0..1,
and gives `logits` [batch, 5] (the last Dense layer before its softmax: batchwise's classify applies
the softmax, so its probabilities are nsfwjs's) and `pooler_output` [batch, 1280] (the average-
pooled features, for embed). Dropout is dropped (inference).

Beside model.onnx it writes config.json (id2label from dist/cjs/nsfw_classes.js),
preprocessor_config.json (what nsfwjs does to an image: see below) and LICENSE (nsfwjs's).

Get nsfwjs and run, from the repository root:
  mkdir -p /tmp/nsfwjs && (cd /tmp/nsfwjs && npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz)
  /usr/bin/python3 scripts/convert-nsfwjs.py /tmp/nsfwjs/package
The output is deterministic: running it again writes the same bytes (docs/images.md gives the
SHA-256 of the committed model.onnx).

What nsfwjs does to an image (dist/cjs/core.js, NSFWJS.infer): tf.browser.fromPixels (RGB, alpha
dropped), .toFloat().div(255), then, unless the image is 224 x 224 already,
tf.image.resizeBilinear(image, [224, 224], alignCorners=true), and the model. So the config says:
resize to 224 x 224, bilinear with align_corners (batchwise's addition for TensorFlow's
resize), rescale by 1/255, no normalisation, no crop.
"""
import json
import os
import re
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "dev", "batchwise",
                   "models", "nsfw")
SIZE = 224
OPSET = 13


def js_literal_to_json(text):
    """A JavaScript object literal (bare keys, .5 numbers, !0 and !1) as JSON text."""
    out = []
    i = 0
    n = len(text)
    number = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
    ident = re.compile(r"[A-Za-z_$][\w$]*")
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif c in "{}[],:":
            out.append(c)
            i += 1
        elif c == "!" and text[i + 1] in "01":
            out.append("true" if text[i + 1] == "0" else "false")
            i += 2
        elif c == "-" or c == "." or c.isdigit():
            m = number.match(text, i)
            s = m.group(0)
            s = re.sub(r"^(-?)\.", r"\g<1>0.", s)
            s = re.sub(r"\.(?=$|[eE])", ".0", s)
            out.append(s)
            i = m.end()
        else:
            m = ident.match(text, i)
            if not m:
                raise ValueError("unexpected %r at %d" % (text[i:i + 20], i))
            word = m.group(0)
            j = m.end()
            while text[j] in " \t\r\n":
                j += 1
            if text[j] == ":":
                out.append(json.dumps(word))
            elif word in ("true", "false", "null"):
                out.append(word)
            else:
                raise ValueError("unexpected identifier %r" % word)
            i = m.end()
    return json.loads("".join(out))


def read_model_json(path):
    """The object the bundle exports: {modelTopology, weightsManifest}."""
    text = open(path, encoding="utf-8").read()
    start = text.index("{modelTopology:")
    depth = 0
    i = start
    in_string = False
    while True:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    return js_literal_to_json(text[start:i + 1])


def read_weights(path):
    """The bytes of the weight shard, base64 in the bundle's one long string."""
    import base64
    text = open(path, encoding="utf-8").read()
    longest = max(re.findall(r'"([A-Za-z0-9+/=]{1000,})"', text), key=len)
    return base64.b64decode(longest)


def read_classes(path):
    text = open(path, encoding="utf-8").read()
    return {int(k): v for k, v in re.findall(r"(\d+):\s*'([^']+)'", text)}


class Graph:
    def __init__(self):
        self.nodes, self.inits, self.names = [], [], set()

    def name(self, base):
        base = re.sub(r"[^A-Za-z0-9_./-]", "_", base)
        n, k = base, 1
        while n in self.names:
            k += 1
            n = "%s_%d" % (base, k)
        self.names.add(n)
        return n

    def node(self, op, inputs, base, **attrs):
        out = self.name(base)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def const(self, base, array):
        n = self.name(base)
        self.inits.append(numpy_helper.from_array(array, n))
        return n

    def weight(self, spec, q, transform=None):
        """A quantised weight: float(q) * scale + min, q in the layout ONNX wants, stored as uint8."""
        if transform is not None:
            q = transform(q)
        name = spec["name"]
        qn = self.const(name + "/quantized", np.ascontiguousarray(q))
        scale = self.const(name + "/scale", np.array(spec["quantization"]["scale"], dtype=np.float32))
        low = self.const(name + "/min", np.array(spec["quantization"]["min"], dtype=np.float32))
        f = self.node("Cast", [qn], name + "/float", to=TensorProto.FLOAT)
        return self.node("Add", [self.node("Mul", [f, scale], name + "/scaled"), low], name)


def convert(package):
    model = read_model_json(os.path.join(package, "dist/models/mobilenet_v2/model.min.js"))
    data = read_weights(os.path.join(package, "dist/models/mobilenet_v2/group1-shard1of1.min.js"))
    classes = read_classes(os.path.join(package, "dist/cjs/nsfw_classes.js"))

    quantized = {}
    offset = 0
    for spec in model["weightsManifest"][0]["weights"]:
        if spec["dtype"] != "float32" or spec.get("quantization", {}).get("dtype") != "uint8":
            raise ValueError("expected uint8-quantised float32 weights, got %s" % spec)
        count = int(np.prod(spec["shape"]))
        quantized[spec["name"]] = (spec, np.frombuffer(data, np.uint8, count, offset).reshape(spec["shape"]))
        offset += count
    if offset != len(data):
        raise ValueError("weights take %d bytes of %d" % (offset, len(data)))

    g = Graph()
    config = model["modelTopology"]["model_config"]["config"]
    tensors = {}
    logits = pooled = None

    def w(layer, kind, transform=None):
        spec, q = quantized["%s/%s" % (layer, kind)]
        return g.weight(spec, q, transform)

    for layer in config["layers"]:
        kind, name, cfg = layer["class_name"], layer["name"], layer["config"]
        inputs = [tensors[i[0]] for i in layer["inbound_nodes"][0]] if layer["inbound_nodes"] else []
        if kind == "InputLayer":
            if cfg["batch_input_shape"] != [None, SIZE, SIZE, 3]:
                raise ValueError("unexpected input %s" % cfg["batch_input_shape"])
            out = g.node("Transpose", ["pixel_values"], "to_nchw", perm=[0, 3, 1, 2])
        elif kind == "ZeroPadding2D":
            (top, bottom), (left, right) = cfg["padding"]
            pads = g.const(name + "/pads", np.array([0, 0, top, left, 0, 0, bottom, right], dtype=np.int64))
            out = g.node("Pad", [inputs[0], pads], name)
        elif kind in ("Conv2D", "DepthwiseConv2D"):
            if cfg["dilation_rate"] != [1, 1] or cfg["use_bias"] or cfg["activation"] != "linear":
                raise ValueError("unexpected conv %s" % cfg)
            attrs = dict(strides=cfg["strides"], kernel_shape=cfg["kernel_size"])
            if cfg["padding"] == "same":
                attrs["auto_pad"] = "SAME_UPPER"  # TensorFlow's SAME: the odd pixel of padding goes after
            if kind == "Conv2D":
                weight = w(name, "kernel", lambda k: k.transpose(3, 2, 0, 1))  # HWIO -> OIHW
            else:
                if cfg["depth_multiplier"] != 1:
                    raise ValueError("unexpected depth multiplier %s" % cfg)
                weight = w(name, "depthwise_kernel", lambda k: k.transpose(2, 3, 0, 1))  # HWC1 -> C1HW
                attrs["group"] = quantized[name + "/depthwise_kernel"][0]["shape"][2]
            out = g.node("Conv", [inputs[0], weight], name, **attrs)
        elif kind == "BatchNormalization":
            if cfg["axis"] != -1 or not cfg["center"] or not cfg["scale"]:
                raise ValueError("unexpected batch norm %s" % cfg)
            out = g.node("BatchNormalization", [inputs[0], w(name, "gamma"), w(name, "beta"), w(name, "moving_mean"),
                                                w(name, "moving_variance")], name, epsilon=cfg["epsilon"])
        elif kind == "ReLU":
            if cfg["negative_slope"] != 0 or cfg["threshold"] != 0:
                raise ValueError("unexpected relu %s" % cfg)
            if cfg["max_value"] is None:
                out = g.node("Relu", inputs, name)
            else:
                low = g.const(name + "/min", np.array(0, dtype=np.float32))
                high = g.const(name + "/max", np.array(cfg["max_value"], dtype=np.float32))
                out = g.node("Clip", [inputs[0], low, high], name)
        elif kind == "Add":
            out = g.node("Add", inputs, name)
        elif kind == "AveragePooling2D":
            if cfg["padding"] != "valid":
                raise ValueError("unexpected pooling %s" % cfg)
            out = g.node("AveragePool", inputs, name, kernel_shape=cfg["pool_size"], strides=cfg["strides"])
        elif kind == "Flatten":
            # after a 7x7 pool over 7x7 the map is 1x1, so channels-last and channels-first flatten alike
            out = g.node("Flatten", inputs, name, axis=1)
            pooled = out
        elif kind == "Dense":
            gemm = g.node("Gemm", [inputs[0], w(name, "kernel"), w(name, "bias")], name + "/gemm")
            if cfg["activation"] == "relu":
                out = g.node("Relu", [gemm], name)
            elif cfg["activation"] == "softmax":
                out = gemm  # the logits; classify applies the softmax
                logits = out
            elif cfg["activation"] == "linear":
                out = gemm
            else:
                raise ValueError("unexpected activation %s" % cfg["activation"])
        elif kind == "Dropout":
            out = inputs[0]
        else:
            raise ValueError("unexpected layer %s" % kind)
        tensors[name] = out
    if logits is None or pooled is None or config["output_layers"][0][0] != "dense_3":
        raise ValueError("the model's end is not dense_3 (softmax) after a flattened pool")

    g.nodes.append(helper.make_node("Identity", [logits], ["logits"], name="logits"))
    g.nodes.append(helper.make_node("Identity", [pooled], ["pooler_output"], name="pooler_output"))
    graph = helper.make_graph(
        g.nodes, "nsfwjs_mobilenet_v2",
        [helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", SIZE, SIZE, 3])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", len(classes)]),
         helper.make_tensor_value_info("pooler_output", TensorProto.FLOAT, ["batch", 1280])],
        g.inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                   producer_name="batchwise scripts/convert-nsfwjs.py")
    onnx_model.ir_version = 7
    onnx_model.doc_string = ("nsfwjs 4.4.0 MobileNetV2 (MIT licence, Infinite Red, Inc.), converted from its "
                             "TensorFlow.js weights, kept uint8")
    onnx.checker.check_model(onnx_model)
    return onnx_model, classes


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: convert-nsfwjs.py NSFWJS_PACKAGE_DIR (the package/ of npm pack nsfwjs@4.4.0)")
    package = sys.argv[1]
    version = json.load(open(os.path.join(package, "package.json")))["version"]
    if version != "4.4.0":
        sys.exit("expected nsfwjs 4.4.0, found %s" % version)
    onnx_model, classes = convert(package)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "model.onnx"), "wb") as f:
        f.write(onnx_model.SerializeToString(deterministic=True))
    labels = [classes[i] for i in sorted(classes)]
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump({"model_type": "mobilenet_v2", "source": "nsfwjs 4.4.0 (MIT licence, Infinite Red, Inc.)",
                   "id2label": {str(i): label for i, label in enumerate(labels)},
                   "label2id": {label: i for i, label in enumerate(labels)}}, f, indent=2)
        f.write("\n")
    with open(os.path.join(OUT, "preprocessor_config.json"), "w") as f:
        json.dump({"do_convert_rgb": True, "do_resize": True, "size": {"height": SIZE, "width": SIZE},
                   "resample": 2, "align_corners": True, "do_center_crop": False,
                   "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": False}, f, indent=2)
        f.write("\n")
    with open(os.path.join(package, "LICENSE")) as src, open(os.path.join(OUT, "LICENSE"), "w") as dst:
        dst.write("The model in this directory is converted from nsfwjs 4.4.0 (dist/models/mobilenet_v2),\n"
                  "https://github.com/infinitered/nsfwjs, under this licence:\n\n")
        dst.write(src.read())
    print("wrote", OUT, "labels", labels)


if __name__ == "__main__":
    main()
