#!/usr/bin/env python3
"""Independent reference for `experiments/cifar10-resnet20.yaml`: the same ResNet-20 and recipe
trained with PyTorch (CPU) on the same JPEG class folders, so reslab's accuracy can be compared
with a framework nobody here wrote.

Matches reslab's recipe: He et al.'s CIFAR ResNet-20 (3 stages x 3 basic blocks, 16/32/64
channels, 1x1 projection shortcuts where the shape changes, convolutions with bias, 273,258
parameters); He-uniform convolution weights, Glorot-uniform dense weights, zero biases; inputs
normalised by the training split's per-channel mean and std; random crop with 4 px of black
(pixel value 0) padding and horizontal flip; SGD with Nesterov momentum 0.9, weight decay on
convolution and dense weights only; a linear warm-up over the first epoch, then half a cosine to
0; batch 128, the last partial batch kept; test at 32 px after every epoch.

    python scripts/reference/resnet20_torch.py /tmp/data/cifar10 --epochs 30 --label-smoothing 0

Prints one line per epoch (train loss, test top-1, seconds) and a final JSON line.
Needs torch and Pillow (no torchvision).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image


def load_split(root, split):
    classes = sorted(os.listdir(os.path.join(root, split)))
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(root, split, name)
        for file in sorted(os.listdir(folder)):
            with Image.open(os.path.join(folder, file)) as image:
                images.append(np.asarray(image.convert("RGB"), dtype=np.uint8))
            labels.append(label)
    return np.stack(images), np.asarray(labels, dtype=np.int64)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU())
        blocks, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for index in range(3):
                blocks.append(Block(cin, cout, 2 if stage > 0 and index == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.in_channels * m.kernel_size[0] * m.kernel_size[1] // m.groups
                bound = math.sqrt(6 / fan_in)
                nn.init.uniform_(m.weight, -bound, bound)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                bound = math.sqrt(6 / (m.in_features + m.out_features))
                nn.init.uniform_(m.weight, -bound, bound)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(x.mean(dim=(2, 3)))


def augment(batch, generator):
    """Random crop with 4 px of zero padding (before normalisation) and a horizontal flip."""
    n, h, w, _ = batch.shape
    padded = np.zeros((n, h + 8, w + 8, 3), dtype=np.uint8)
    padded[:, 4:4 + h, 4:4 + w] = batch
    out = np.empty_like(batch)
    dx, dy = generator.integers(0, 9, n), generator.integers(0, 9, n)
    flips = generator.integers(0, 2, n)
    for i in range(n):
        crop = padded[i, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        out[i] = crop[:, ::-1] if flips[i] else crop
    return out


def to_tensor(batch, mean, std):
    x = (batch.astype(np.float32) / 255 - mean) / std
    return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--label-smoothing", type=float, default=0.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = np.random.default_rng(args.seed)

    train_x, train_y = load_split(args.data, "train")
    test_x, test_y = load_split(args.data, "test")
    mean = (train_x.reshape(-1, 3) / 255).mean(0).astype(np.float32)
    std = (train_x.reshape(-1, 3) / 255).std(0).astype(np.float32)
    test_t, test_labels = to_tensor(test_x, mean, std), torch.from_numpy(test_y)

    model = ResNet20()
    decayed = [p for name, p in model.named_parameters() if p.ndim > 1]
    others = [p for name, p in model.named_parameters() if p.ndim <= 1]
    optimizer = torch.optim.SGD([{"params": decayed, "weight_decay": args.weight_decay},
                                 {"params": others, "weight_decay": 0}],
                                lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = math.ceil(len(train_x) / args.batch)
    total, warmup = args.epochs * steps_per_epoch, steps_per_epoch

    def rate(step):
        if step < warmup:
            return args.lr * (step + 1) / warmup
        t = min(1.0, (step - warmup) / max(1, total - warmup))
        return args.lr * (1 + math.cos(math.pi * t)) / 2

    step, history = 0, []
    for epoch in range(1, args.epochs + 1):
        start = time.time()
        model.train()
        order = generator.permutation(len(train_x))
        losses = []
        for first in range(0, len(order), args.batch):
            index = order[first:first + args.batch]
            x = to_tensor(augment(train_x[index], generator), mean, std)
            for group in optimizer.param_groups:
                group["lr"] = rate(step)
            loss = F.cross_entropy(model(x), torch.from_numpy(train_y[index]),
                                   label_smoothing=args.label_smoothing)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            step += 1
        seconds = time.time() - start
        model.eval()
        with torch.no_grad():
            correct = sum((model(test_t[i:i + 500]).argmax(1) == test_labels[i:i + 500]).sum().item()
                          for i in range(0, len(test_t), 500))
        top1 = correct / len(test_t)
        history.append({"epoch": epoch, "loss": float(np.mean(losses)), "top1": top1, "seconds": seconds})
        print(f"epoch {epoch}/{args.epochs}: train loss {np.mean(losses):.4f}, test {100 * top1:.1f}%, "
              f"{seconds:.1f} s ({len(train_x) / seconds:.0f} img/s)", flush=True)
    print(json.dumps({"torch": torch.__version__, "args": vars(args), "epochs": history}))


if __name__ == "__main__":
    main()
