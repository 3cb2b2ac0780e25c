"""Real-data check of reslab's ONNX import (issue #14): a model trained elsewhere, evaluated by
reslab and by onnxruntime on the same resized images, at every test size.

1. Trains a quarter-width ResNet-18 (torchvision's topology: 7x7/2 stem, 3x3/2 max pool, four
   stages of two basic blocks, adaptive average pool, linear; widths 16-32-64-128) written out
   in plain PyTorch, on Imagenette's train/ at 112 px for a few epochs on the CPU.
2. Exports it to ONNX (opset 17) with dynamic batch, height and width.
3. Evaluates the ONNX file with onnxruntime on val/ at each size: every image decoded by Pillow,
   converted to RGB, resized to r x r with Pillow's antialiased bilinear filter per channel in
   float32 mode "F" (no rounding to 8 bits, as reslab's resize writes floats), divided by 255,
   normalised with ImageNet's mean and std, fed as NCHW.
4. Runs `reslab eval --model model.onnx --data DATA --methods bilinear` at the same sizes and
   compares top-1 (and the per-image predictions) with onnxruntime's.

Run by scripts/onnx/imagenette_parity.sh (which makes the venv); writes OUT/model.onnx,
OUT/ort.json, OUT/table.md and the reslab run folder OUT/reslab-run.
"""
import argparse, csv, json, os, subprocess, sys, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
from PIL import Image
import onnxruntime as ort

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet18Quarter(nn.Module):
    """torchvision.models.resnet18's topology at a quarter of its widths."""
    def __init__(self, classes, widths=(16, 32, 64, 128)):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, widths[0], 7, 2, 3, bias=False), nn.BatchNorm2d(widths[0]),
                                  nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1))
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            layers += [BasicBlock(cin, w, 1 if i == 0 else 2), BasicBlock(w, w, 1)]
            cin = w
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(self.layers(self.stem(x))), 1))


def listing(root):
    classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    files = [(os.path.join(root, c, f), i) for i, c in enumerate(classes)
             for f in sorted(os.listdir(os.path.join(root, c)))]
    return classes, files


def resized(path, r):
    """(3, r, r) float32 in [0, 255]: Pillow's antialiased bilinear per channel in float mode."""
    image = Image.open(path).convert("RGB")
    channels = [Image.fromarray(np.asarray(image, dtype=np.float32)[:, :, c], mode="F").resize((r, r), Image.BILINEAR)
                for c in range(3)]
    return np.stack([np.asarray(c, dtype=np.float32) for c in channels])


def normalised(batch):
    return ((batch / 255.0 - MEAN[None, :, None, None]) / STD[None, :, None, None]).astype(np.float32)


def train(data, out, epochs, size, seed):
    torch.manual_seed(seed)
    np.random.seed(seed)
    classes, files = listing(os.path.join(data, "train"))
    t0 = time.time()
    images = np.stack([resized(p, size) for p, _ in files]).astype(np.uint8)
    labels = torch.tensor([l for _, l in files])
    print(f"decoded {len(files)} training images at {size} px in {time.time() - t0:.0f} s", flush=True)
    model = ResNet18Quarter(len(classes))
    steps = epochs * ((len(files) + 63) // 64)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9, weight_decay=5e-4, nesterov=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.2, total_steps=steps, pct_start=0.25)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(files))
        seen, correct, total_loss, t0 = 0, 0, 0.0, time.time()
        for start in range(0, len(files), 64):
            idx = order[start:start + 64]
            x = torch.from_numpy(normalised(images[idx.numpy()].astype(np.float32)))
            flip = torch.rand(len(idx)) < 0.5
            x[flip] = x[flip].flip(3)
            pad = F.pad(x, (8, 8, 8, 8), mode="reflect")
            dy, dx = np.random.randint(0, 17, 2)
            x = pad[:, :, dy:dy + size, dx:dx + size]
            y = labels[idx]
            logits = model(x)
            loss = F.cross_entropy(logits, y, label_smoothing=0.1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            seen += len(idx)
            correct += (logits.argmax(1) == y).sum().item()
            total_loss += loss.item() * len(idx)
        print(f"epoch {epoch + 1}/{epochs}: loss {total_loss / seen:.3f}, train top-1 {100 * correct / seen:.1f}%, "
              f"{time.time() - t0:.0f} s", flush=True)
    model.eval()
    path = os.path.join(out, "model.onnx")
    torch.onnx.export(model, torch.zeros(1, 3, size, size), path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    print(f"exported {path} ({os.path.getsize(path) / 1e6:.1f} MB)", flush=True)
    return path


def evaluate_ort(model, data, sizes):
    classes, files = listing(os.path.join(data, "val"))
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    result = {}
    for r in sizes:
        predicted = []
        for start in range(0, len(files), 100):
            batch = np.stack([resized(p, r) for p, _ in files[start:start + 100]])
            predicted += session.run(None, {"image": normalised(batch)})[0].argmax(1).tolist()
        labels = [l for _, l in files]
        names = [class_and_file(os.path.relpath(p, data)) for p, _ in files]
        top1 = 100 * np.mean([p == l for p, l in zip(predicted, labels)])
        result[r] = {"top1": top1, "predicted": dict(zip(names, predicted))}
        print(f"onnxruntime {r} px: top-1 {top1:.2f}%", flush=True)
    return result


def class_and_file(name):
    return "/".join(name.split("/")[-2:])


def reslab_predictions(run, r):
    """class/file -> predicted class index, from the run's predictions file at r px (bilinear)."""
    with open(os.path.join(run, "predictions", "cell-0000", f"r{r}-bilinear.csv")) as handle:
        rows = list(csv.reader(handle))[1:]
    return {class_and_file(row[0]): int(row[-3]) for row in rows}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/tmp/data/imagenette-small")
    parser.add_argument("--out", default="/tmp/onnx-imagenette")
    parser.add_argument("--reslab", default=".build/release/reslab")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--train-size", type=int, default=112)
    parser.add_argument("--sizes", default="32,64,96,128,160,192,224")
    args = parser.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    model = os.path.join(args.out, "model.onnx")
    if not os.path.exists(model):
        model = train(args.data, args.out, args.epochs, args.train_size, seed=0)
    ort_result = evaluate_ort(model, args.data, sizes)
    with open(os.path.join(args.out, "ort.json"), "w") as handle:
        json.dump({r: v["top1"] for r, v in ort_result.items()}, handle, indent=1)

    run = os.path.join(args.out, "reslab-run")
    if os.path.exists(run):
        subprocess.run(["rm", "-r", run], check=True)
    t0 = time.time()
    subprocess.run([args.reslab, "eval", "--model", model, "--data", args.data, "--resolutions", args.sizes,
                    "--methods", "bilinear", "--train-size", str(args.train_size), "--out", run, "--quiet"], check=True)
    print(f"reslab eval took {time.time() - t0:.0f} s", flush=True)
    with open(os.path.join(run, "results.csv")) as handle:
        rows = list(csv.DictReader(handle))
    lines = ["| size | reslab top-1 | onnxruntime top-1 | difference (points) | same prediction |", "|---|---|---|---|---|"]
    worst = 0.0
    for r in sizes:
        row = [x for x in rows if int(x["test_res"]) == r][0]
        ours = 100 * float(row["top1"])
        theirs = ort_result[r]["top1"]
        mine = reslab_predictions(run, r)
        agree = np.mean([mine[name] == p for name, p in ort_result[r]["predicted"].items()])
        worst = max(worst, abs(ours - theirs))
        lines.append(f"| {r} px | {ours:.2f}% | {theirs:.2f}% | {ours - theirs:+.2f} | {100 * agree:.2f}% |")
    table = "\n".join(lines)
    print(table)
    with open(os.path.join(args.out, "table.md"), "w") as handle:
        handle.write(table + "\n")
    if worst > 0.1:
        sys.exit(f"reslab and onnxruntime differ by {worst:.2f} points (more than 0.1)")
    print(f"largest difference {worst:.2f} points: within 0.1 at every size")


if __name__ == "__main__":
    main()
