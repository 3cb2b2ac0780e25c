#!/usr/bin/env python3
"""Writes the ONNX models that `reslab bench train` and `reslab bench onnx` time in reslab and in
ONNX Runtime, built with onnx.helper (NCHW input "x" with dynamic batch, height and width; output
"logits"), weights drawn from a fixed seed. Opset 17, as torch.onnx.export writes by default.

  reference-cnn  reslab's reference CNN: 3 x [Conv 3x3 pad 1 (32, 64, 128) + bias, Relu,
                 MaxPool 2], GlobalAveragePool, Flatten, Gemm 128 -> 10 (0.4 MB).
  resnet-18      torchvision's resnet18 graph as torch.onnx.export writes it in eval mode without
                 folding: Conv 7x7/2 64, BatchNormalization, Relu, MaxPool 3x3/2 pad 1, four stages
                 of two basic blocks (64, 128, 256, 512; 1x1/2 Conv + BN projection where the shape
                 changes), GlobalAveragePool, Flatten, Gemm 512 -> 1000: 11,689,512 parameters
                 (47 MB; write it to a cache folder, not the repository).
  mobilenet-v2   torchvision's mobilenet_v2 graph, exported the same way: Conv 3x3/2 32, BN, ReLU6
                 (Clip 0..6 with min and max as inputs, as from opset 11), 17 inverted residual
                 blocks (1x1 expansion x6 + BN + ReLU6, depthwise 3x3 (group = channels, stride 1
                 or 2) + BN + ReLU6, 1x1 projection + BN, Add where shape allows), Conv 1x1 1280,
                 BN, ReLU6, GlobalAveragePool, Flatten, Gemm 1280 -> 1000: 3,504,872 parameters
                 (14 MB).

Usage: onnx_models.py reference-cnn|resnet-18|mobilenet-v2 OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Builder:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.weights, self.count = [], [], 0

    def weight(self, name, array):
        self.weights.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    def node(self, op, inputs, **attributes):
        self.count += 1
        out = f"{op.lower()}{self.count}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attributes))
        return out

    def conv(self, x, cin, cout, kernel, stride=1, bias=False, groups=1):
        """He-normal weights (O, I / groups, kH, kW), pads kernel // 2 on every side."""
        fan_in = cin // groups * kernel * kernel
        w = self.weight(f"w{self.count}", self.rng.standard_normal((cout, cin // groups, kernel, kernel)) * np.sqrt(2 / fan_in))
        inputs = [x, w] + ([self.weight(f"b{self.count}", self.rng.uniform(-0.1, 0.1, cout))] if bias else [])
        return self.node("Conv", inputs, kernel_shape=[kernel, kernel], strides=[stride, stride], pads=[kernel // 2] * 4, group=groups)

    def relu6(self, x):
        """ReLU6 as torch.onnx.export writes it from opset 11: Clip with min and max as inputs."""
        if not any(t.name == "zero" for t in self.weights):
            self.weight("zero", np.array(0.0))
            self.weight("six", np.array(6.0))
        return self.node("Clip", [x, "zero", "six"])

    def bn(self, x, channels):
        k = self.count
        parts = [self.weight(f"gamma{k}", self.rng.uniform(0.5, 1.5, channels)), self.weight(f"beta{k}", self.rng.uniform(-0.1, 0.1, channels)),
                 self.weight(f"mean{k}", self.rng.uniform(-0.1, 0.1, channels)), self.weight(f"var{k}", self.rng.uniform(0.5, 1.5, channels))]
        return self.node("BatchNormalization", [x] + parts, epsilon=1e-5)

    def head(self, x, features, classes):
        flat = self.node("Flatten", [self.node("GlobalAveragePool", [x])], axis=1)
        w = self.weight("fc.w", self.rng.standard_normal((classes, features)) / np.sqrt(features))
        out = self.node("Gemm", [flat, w, self.weight("fc.b", np.zeros(classes))], transB=1)
        self.nodes[-1].output[0] = "logits"
        return out

    def model(self, name, classes):
        graph = helper.make_graph(self.nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])],
                                  [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", classes])], initializer=self.weights)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="reslab scripts/peers/onnx_models.py")
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model


def reference_cnn():
    b, x, channels = Builder(seed=1), "x", 3
    for filters in (32, 64, 128):
        x = b.node("Relu", [b.conv(x, channels, filters, 3, bias=True)])
        x = b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
        channels = filters
    b.head(x, channels, 10)
    return b.model("reference_cnn", 10)


def resnet18():
    b = Builder(seed=18)
    x = b.node("Relu", [b.bn(b.conv("x", 3, 64, 7, stride=2), 64)])
    x = b.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    channels = 64
    for stage, filters in enumerate((64, 128, 256, 512)):
        for block in range(2):
            stride = 2 if stage > 0 and block == 0 else 1
            y = b.node("Relu", [b.bn(b.conv(x, channels, filters, 3, stride), filters)])
            y = b.bn(b.conv(y, filters, filters, 3), filters)
            shortcut = b.bn(b.conv(x, channels, filters, 1, stride), filters) if stride > 1 or channels != filters else x
            x = b.node("Relu", [b.node("Add", [y, shortcut])])
            channels = filters
    b.head(x, channels, 1000)
    model = b.model("resnet18", 1000)
    parameters = sum(int(np.prod(t.dims)) for t in model.graph.initializer if not t.name.startswith(("mean", "var")))
    assert parameters == 11_689_512, parameters  # torchvision's resnet18
    return model


def mobilenet_v2():
    b = Builder(seed=2)
    x = b.relu6(b.bn(b.conv("x", 3, 32, 3, stride=2), 32))
    channels = 32
    for expansion, filters, repeats, first_stride in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                                                      (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for block in range(repeats):
            stride, hidden = first_stride if block == 0 else 1, channels * expansion
            y = b.relu6(b.bn(b.conv(x, channels, hidden, 1), hidden)) if expansion != 1 else x
            y = b.relu6(b.bn(b.conv(y, hidden, hidden, 3, stride, groups=hidden), hidden))
            y = b.bn(b.conv(y, hidden, filters, 1), filters)
            x = b.node("Add", [x, y]) if stride == 1 and channels == filters else y
            channels = filters
    x = b.relu6(b.bn(b.conv(x, channels, 1280, 1), 1280))
    b.head(x, 1280, 1000)
    model = b.model("mobilenet_v2", 1000)
    parameters = sum(int(np.prod(t.dims)) for t in model.graph.initializer if not t.name.startswith(("mean", "var", "zero", "six")))
    assert parameters == 3_504_872, parameters  # torchvision's mobilenet_v2
    return model


if __name__ == "__main__":
    builders = {"reference-cnn": reference_cnn, "resnet-18": resnet18, "mobilenet-v2": mobilenet_v2}
    if len(sys.argv) != 3 or sys.argv[1] not in builders:
        raise SystemExit(f"usage: onnx_models.py {'|'.join(builders)} OUT.onnx")
    onnx.save(builders[sys.argv[1]](), sys.argv[2])
