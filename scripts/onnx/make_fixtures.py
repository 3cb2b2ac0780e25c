#!/usr/bin/env python3
"""Writes the ONNX fixture models and their onnxruntime reference outputs to Fixtures/onnx/.

Run from the repository root with onnx==1.23.2, onnxruntime==1.32.0 and numpy:

    python3 scripts/onnx/make_fixtures.py

Each model is built node by node with onnx.helper (no torch), width-reduced (8-32 channels),
with seeded random weights and batch-norm statistics, in the shapes exporters emit:

- resnet:     conv-bn-relu stem, max pool, a basic block and a strided block with a 1x1
              projection shortcut, global average pool, Flatten, Gemm (opset 17, dynamic H, W).
- mobilenet:  hard-swish stem, depthwise 3x3 (ReLU6 as Clip), squeeze-excite with ReduceMean
              (axes as an input, opset 18) -> 1x1 conv -> ReLU -> 1x1 conv -> HardSigmoid -> Mul,
              an inverted residual Add, a stride-2 depthwise 5x5 with asymmetric pads,
              LeakyReLU, GlobalAveragePool, Squeeze, MatMul + Add head (dynamic H, W).
- squeezenet: Fire modules (1x1 squeeze, 1x1 and 3x3 expand, Concat), ceil_mode max pool,
              an Inception-style 3x3 average pool with count_include_pad, Dropout, Identity,
              Sigmoid gate, GlobalMaxPool, Reshape(0, -1), Softmax (opset 13, dynamic H, W).
- vgg:        static 1x3x32x32 input normalised in the graph (Sub mean, Div std), Pad before
              a conv, two conv-relu-maxpool stages, the exporter's Shape -> Gather ->
              Unsqueeze -> Concat -> Reshape flatten, Gemm (transB) -> Relu -> Dropout -> Gemm
              (opset 11, static shapes: runs only at 32x32).
- adaptive:   static 1x3x40x40 input, the AveragePool with a kernel equal to the last map that
              AdaptiveAvgPool2d(1) becomes when exported with static shapes, Flatten, Gemm.

For each model, Fixtures/onnx/<name>/model.onnx plus, per test size S, input_S.bin (float32,
N x 3 x S x S, C order) and output_S.bin (float32 logits, N x classes), and manifest.json listing
the sizes, shapes and the opset. Inputs are seeded uniform [-1, 1] (already "normalised").
"""
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "onnx")
BATCH = 2
CLASSES = 10


class Builder:
    """Collects nodes and initializers; names every tensor uniquely."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.count = [], [], 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}_{self.count}"

    def const(self, array, prefix="w"):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, prefix=None, **attrs):
        out = self.name(prefix or op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out + "_node", **attrs))
        return out

    def conv(self, x, cin, cout, k, stride=1, pads=None, group=1, bias=True, dilation=1, **attrs):
        kh, kw = (k, k) if isinstance(k, int) else k
        fan_in = cin // group * kh * kw
        w = self.rng.normal(0, np.sqrt(2.0 / fan_in), (cout, cin // group, kh, kw)).astype(np.float32)
        inputs = [x, self.const(w)]
        if bias:
            inputs.append(self.const(self.rng.normal(0, 0.1, cout).astype(np.float32), "b"))
        if pads is None:
            pads = [(kh - 1) * dilation // 2, (kw - 1) * dilation // 2] * 2
        return self.node("Conv", inputs, kernel_shape=[kh, kw], strides=[stride, stride], pads=pads,
                         group=group, dilations=[dilation, dilation], **attrs)

    def bn(self, x, c, eps=1e-5):
        r = self.rng
        params = [r.uniform(0.5, 1.5, c), r.normal(0, 0.1, c), r.normal(0, 0.2, c), r.uniform(0.5, 2.0, c)]
        return self.node("BatchNormalization", [x] + [self.const(p.astype(np.float32), "bn") for p in params],
                         epsilon=eps)

    def gemm(self, x, k, u, trans_b=1, alpha=1.0, beta=1.0):
        w = self.rng.normal(0, np.sqrt(1.0 / k), (u, k) if trans_b else (k, u)).astype(np.float32)
        b = self.rng.normal(0, 0.1, u).astype(np.float32)
        return self.node("Gemm", [x, self.const(w), self.const(b, "b")], transB=trans_b, alpha=alpha, beta=beta)

    def model(self, name, output, opset, input_shape, output_shape):
        graph = helper.make_graph(
            self.nodes, name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, input_shape)],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, output_shape)],
            self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                                  producer_name="reslab make_fixtures.py")
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        return model


def resnet():
    b = Builder(1)
    x = b.node("Relu", [b.bn(b.conv("input", 3, 8, 3, stride=2, bias=False), 8)])
    x = b.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    # basic block, identity shortcut
    y = b.node("Relu", [b.bn(b.conv(x, 8, 8, 3, bias=False), 8)])
    y = b.bn(b.conv(y, 8, 8, 3, bias=False), 8, eps=1e-3)
    x = b.node("Relu", [b.node("Add", [y, x])])
    # strided block, 1x1 projection
    y = b.node("Relu", [b.bn(b.conv(x, 8, 16, 3, stride=2, bias=False), 16)])
    y = b.bn(b.conv(y, 16, 16, 3, bias=False), 16)
    s = b.bn(b.conv(x, 8, 16, 1, stride=2, bias=False), 16)
    x = b.node("Relu", [b.node("Add", [s, y])])
    x = b.node("Flatten", [b.node("GlobalAveragePool", [x])], axis=1)
    out = b.gemm(x, 16, CLASSES)
    return b.model("resnet", out, 17, ["n", 3, "h", "w"], ["n", CLASSES]), [32, 45, 64]


def mobilenet():
    b = Builder(2)
    x = b.node("HardSwish", [b.bn(b.conv("input", 3, 8, 3, stride=2, bias=False), 8)])
    # inverted residual: expand 1x1, depthwise 3x3, squeeze-excite, project 1x1, Add
    e = b.node("Clip", [b.bn(b.conv(x, 8, 16, 1, bias=False), 16), b.const(np.float32(0), "min"),
                        b.const(np.float32(6), "max")])
    d = b.node("Clip", [b.bn(b.conv(e, 16, 16, 3, group=16, bias=False), 16), b.const(np.float32(0), "min"),
                        b.const(np.float32(6), "max")])
    s = b.node("ReduceMean", [d, b.const(np.array([2, 3], dtype=np.int64), "axes")], keepdims=1)
    s = b.node("Relu", [b.conv(s, 16, 4, 1)])
    s = b.node("HardSigmoid", [b.conv(s, 4, 16, 1)], alpha=1.0 / 6, beta=0.5)
    d = b.node("Mul", [d, s])
    p = b.bn(b.conv(d, 16, 8, 1, bias=False), 8)
    x = b.node("Add", [x, p])
    # stride-2 depthwise 5x5 with TensorFlow-style asymmetric pads (1 before, 2 after)
    x = b.node("HardSwish", [b.bn(b.conv(x, 8, 24, 1, bias=False), 24)])
    x = b.conv(x, 24, 24, 5, stride=2, group=24, pads=[1, 1, 2, 2])
    x = b.node("LeakyRelu", [x], alpha=0.1)
    x = b.node("GlobalAveragePool", [x])
    x = b.node("Squeeze", [x, b.const(np.array([2, 3], dtype=np.int64), "axes")])
    w = b.rng.normal(0, np.sqrt(1.0 / 24), (24, CLASSES)).astype(np.float32)
    x = b.node("MatMul", [x, b.const(w)])
    out = b.node("Add", [x, b.const(b.rng.normal(0, 0.1, CLASSES).astype(np.float32), "b")])
    return b.model("mobilenet", out, 18, ["n", 3, "h", "w"], ["n", CLASSES]), [32, 47, 64]


def fire(b, x, cin, squeeze, expand):
    s = b.node("Relu", [b.conv(x, cin, squeeze, 1)])
    e1 = b.node("Relu", [b.conv(s, squeeze, expand, 1)])
    e3 = b.node("Relu", [b.conv(s, squeeze, expand, 3)])
    return b.node("Concat", [e1, e3], axis=1)


def squeezenet():
    b = Builder(3)
    x = b.node("Relu", [b.conv("input", 3, 16, 3, stride=2, pads=[0, 0, 0, 0])])
    x = b.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)
    x = fire(b, x, 16, 4, 8)
    x = fire(b, x, 16, 4, 8)
    # Inception-style pooling branch beside a 1x1 branch
    a = b.node("AveragePool", [x], kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=1)
    a = b.node("Relu", [b.conv(a, 16, 8, 1)])
    c = b.node("Relu", [b.conv(x, 16, 8, 1)])
    x = b.node("Concat", [c, a, x], axis=1)
    x = b.node("Dropout", [x])
    x = b.node("Identity", [x])
    g = b.node("Sigmoid", [b.conv(x, 32, 32, 1)])
    x = b.node("Mul", [g, x])
    x = b.node("Relu", [b.conv(x, 32, CLASSES, 1)])
    x = b.node("GlobalMaxPool", [x])
    x = b.node("Reshape", [x, b.const(np.array([0, -1], dtype=np.int64), "shape")])
    out = b.node("Softmax", [x], axis=1)
    return b.model("squeezenet", out, 13, ["n", 3, "h", "w"], ["n", CLASSES]), [33, 48, 64]


def vgg():
    b = Builder(4)
    mean = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(1, 3, 1, 1)
    x = b.node("Div", [b.node("Sub", ["input", b.const(mean, "mean")]), b.const(std, "std")])
    x = b.node("Pad", [x, b.const(np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64), "pads")], mode="constant")
    x = b.node("Relu", [b.conv(x, 3, 8, 3, pads=[0, 0, 0, 0])])
    x = b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    x = b.node("Relu", [b.conv(x, 8, 12, 3)])
    x = b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
    # x.view(x.size(0), -1) as torch.onnx exports it
    shape = b.node("Shape", [x])
    n = b.node("Gather", [shape, b.const(np.array(0, dtype=np.int64), "index")], axis=0)
    n = b.node("Unsqueeze", [n], axes=[0])
    target = b.node("Concat", [n, b.const(np.array([-1], dtype=np.int64), "minus_one")], axis=0)
    x = b.node("Reshape", [x, target])
    x = b.node("Relu", [b.gemm(x, 12 * 8 * 8, 32)])
    x = b.node("Dropout", [x])
    out = b.gemm(x, 32, CLASSES, trans_b=0, alpha=0.5, beta=2.0)
    return b.model("vgg", out, 11, [1, 3, 32, 32], [1, CLASSES]), [32]


def adaptive():
    b = Builder(5)
    x = b.node("Relu", [b.bn(b.conv("input", 3, 8, 3, stride=2), 8)])
    x = b.node("Relu", [b.conv(x, 8, 16, 3, stride=2)])
    x = b.node("AveragePool", [x], kernel_shape=[10, 10], strides=[10, 10])
    x = b.node("Flatten", [x], axis=1)
    out = b.gemm(x, 16, CLASSES)
    return b.model("adaptive", out, 15, [1, 3, 40, 40], [1, CLASSES]), [40]


def write(model, sizes):
    folder = os.path.join(ROOT, model.graph.name)
    os.makedirs(folder, exist_ok=True)
    onnx.save(model, os.path.join(folder, "model.onnx"))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    static_batch = model.graph.input[0].type.tensor_type.shape.dim[0].dim_value
    batch = static_batch or BATCH
    rng = np.random.default_rng(100)
    cases = []
    for size in sizes:
        x = rng.uniform(-1, 1, (batch, 3, size, size)).astype(np.float32)
        (y,) = session.run(None, {"input": x})
        x.tofile(os.path.join(folder, f"input_{size}.bin"))
        y.astype(np.float32).tofile(os.path.join(folder, f"output_{size}.bin"))
        cases.append({"size": size, "input": list(x.shape), "output": list(y.shape)})
    manifest = {"model": "model.onnx", "opset": model.opset_import[0].version, "cases": cases,
                "generator": "scripts/onnx/make_fixtures.py", "onnx": onnx.__version__, "onnxruntime": ort.__version__}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{model.graph.name}: {len(model.graph.node)} nodes, sizes {sizes}")


if __name__ == "__main__":
    for make in (resnet, mobilenet, squeezenet, vgg, adaptive):
        write(*make())
