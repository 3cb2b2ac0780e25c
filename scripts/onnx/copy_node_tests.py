#!/usr/bin/env python3
"""Copies ONNX's own node conformance cases for the ops reslab imports into Fixtures/onnx/node/.

Run from the repository root with onnx==1.23.2:

    python3 scripts/onnx/copy_node_tests.py

The cases ship inside the onnx wheel as generators (onnx/backend/test/case/node, Apache-2.0);
`collect_testcases` builds each one's model and data. A case is copied when every node of its
model is one of SUPPORTED (the ops of Sources/ONNX/OperatorSupport.swift) and its data
are float32 arrays of at most 4 dimensions (3-D pools are not images). Each case becomes
node/<name>/model.onnx with input_<i>.pb and output_<i>.pb (TensorProto bytes) per data set,
the layout of onnx's own backend test data. The licence and notice are copied beside them.

The wheel generates each case at the newest opset (22 or 25), past the 11-21 reslab reads; for
these operators those versions only added element types. So each case is re-stamped to opset 21
and kept only if onnxruntime, running the re-stamped model, reproduces the case's expected outputs
(within 1e-5 relative): the copied case is then an opset-21 model with ONNX's own expected data.
"""
import os
import shutil
import warnings

import numpy as np
import onnx
import onnxruntime as ort
from onnx import numpy_helper
from onnx.backend.test.case import node

SUPPORTED = {
    "Conv", "BatchNormalization", "Relu", "LeakyRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish",
    "Tanh", "Mul", "Add", "Sub", "Div", "Concat", "MaxPool", "AveragePool", "GlobalAveragePool",
    "GlobalMaxPool", "ReduceMean", "Flatten", "Reshape", "Gemm", "MatMul", "Transpose", "Softmax",
    "Squeeze", "Unsqueeze", "Pad", "Identity", "Dropout", "Constant", "Shape", "Gather",
}

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Fixtures", "onnx", "node")


def float32_only(case):
    """Whether every input and output of every data set is a float32 array of rank <= 4 (reslab computes in
    float32 only; integer, float16 and sequence cases are outside what it imports)."""
    values = [v for inputs, outputs in (case.data_sets or []) for v in list(inputs) + list(outputs)]
    return bool(values) and all(isinstance(v, np.ndarray) and v.dtype == np.float32 and v.ndim <= 4 for v in values)


def restamp(case, opset=21):
    """The case's model at `opset`, or None when onnxruntime's outputs for it differ from the
    case's expected outputs (or it does not load)."""
    model = onnx.ModelProto()
    model.CopyFrom(case.model)
    del model.opset_import[:]
    model.opset_import.append(onnx.helper.make_opsetid("", opset))
    model.ir_version = min(model.ir_version, 10)
    try:
        onnx.checker.check_model(model)
        session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        for inputs, outputs in case.data_sets:
            feeds = {info.name: value for info, value in zip(model.graph.input, inputs)}
            got = session.run(None, feeds)
            for g, e in zip(got, outputs):
                if g.shape != e.shape or not np.allclose(g, e, rtol=1e-5, atol=1e-6):
                    return None
    except Exception:
        return None
    return model


def main():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = node.collect_testcases(None)
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    os.makedirs(ROOT)
    copied = 0
    for case in sorted(cases, key=lambda c: c.name):
        if not all(n.op_type in SUPPORTED for n in case.model.graph.node) or not float32_only(case):
            continue
        model = restamp(case)
        if model is None:
            print(f"skipped {case.name}: its opset-21 model does not reproduce the expected outputs in onnxruntime")
            continue
        folder = os.path.join(ROOT, case.name)
        os.makedirs(folder)
        onnx.save(model, os.path.join(folder, "model.onnx"))
        for d, (inputs, outputs) in enumerate(case.data_sets or []):
            for kind, values, infos in (("input", inputs, case.model.graph.input),
                                        ("output", outputs, case.model.graph.output)):
                for i, value in enumerate(values):
                    tensor = numpy_helper.from_array(value, infos[i].name)
                    with open(os.path.join(folder, f"{kind}_{d}_{i}.pb"), "wb") as f:
                        f.write(tensor.SerializeToString())
        copied += 1
    licences = os.path.join(os.path.dirname(onnx.__file__), "..", f"onnx-{onnx.__version__}.dist-info", "licenses")
    for name in ("LICENSE", "NOTICE"):
        shutil.copy(os.path.join(licences, name), os.path.join(ROOT, name))
    with open(os.path.join(ROOT, "README.md"), "w") as f:
        f.write(f"ONNX backend node test cases from onnx {onnx.__version__} (Apache-2.0, see LICENSE and NOTICE),\n"
                f"the {copied} cases whose nodes are all ops reslab imports, re-stamped to opset 21 (onnxruntime\n"
                f"{ort.__version__} reproduces their expected outputs); written by scripts/onnx/copy_node_tests.py.\n"
                "Each folder: model.onnx, input_<set>_<i>.pb and output_<set>_<i>.pb (serialized TensorProto).\n")
    print(f"copied {copied} of {len(cases)} cases")


if __name__ == "__main__":
    main()
