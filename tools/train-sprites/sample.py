#!/usr/bin/env python3
"""Draws sprite sheets from a checkpoint, with the latents the SDK uses (torch.randn([1, 100]) per seed):
  sheet.png   8x8 sprites, seeds 1 to 64          morph.png  8 frames from seed 1 to seed 2 (slerp)
  train.png   8 training sprites (every 239th)

Usage: /usr/bin/python3 sample.py [--checkpoint out/sprites.pt] [--weights ema|generator] [--out out/]
"""
import argparse
import os

import numpy as np
import torch
from PIL import Image

from train import LATENT, Generator, load_sprites


def latent(seed):
    return torch.randn([1, LATENT], generator=torch.Generator("cpu").manual_seed(seed))


def slerp(a, b, t):
    na, nb = a.norm(), b.norm()
    theta = torch.acos(torch.clamp((a * b).sum() / (na * nb), -1, 1))
    s = torch.sin(theta)
    if s < 1e-6:
        return (1 - t) * a + t * b
    return torch.sin((1 - t) * theta) / s * a + torch.sin(t * theta) / s * b


def to_uint8(x):
    """[N, 3, H, W] in [-1, 1] -> [N, H, W, 3] bytes, quantised as the SDK quantises."""
    v = x.detach().numpy().transpose(0, 2, 3, 1) * np.float32(127.5) + np.float32(127.5)
    return np.floor(np.clip(v, 0, 255) + np.float32(0.5)).astype(np.uint8)


def sheet(pictures, columns, scale=4, gap=4, background=216):
    n, h, w, _ = pictures.shape
    rows = (n + columns - 1) // columns
    out = np.full((rows * h * scale + (rows + 1) * gap, columns * w * scale + (columns + 1) * gap, 3), background,
                  np.uint8)
    for k, p in enumerate(pictures):
        y, x = gap + (k // columns) * (h * scale + gap), gap + (k % columns) * (w * scale + gap)
        out[y:y + h * scale, x:x + w * scale] = p.repeat(scale, 0).repeat(scale, 1)
    return Image.fromarray(out)


def load(checkpoint, weights):
    g = Generator()
    g.load_state_dict(torch.load(checkpoint)[weights])
    return g.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="out/sprites.pt")
    ap.add_argument("--weights", default="ema", choices=["ema", "generator"])
    ap.add_argument("--data", default=".cache/node_modules/emoji-datasource-google")
    ap.add_argument("--out", default="out")
    args = ap.parse_args()
    g = load(args.checkpoint, args.weights)
    with torch.no_grad():
        sheet(to_uint8(g(torch.cat([latent(s) for s in range(1, 65)]))), 8).save(os.path.join(args.out, "sheet.png"))
        a, b = latent(1), latent(2)
        frames = torch.cat([slerp(a, b, i / 7) for i in range(8)])
        sheet(to_uint8(g(frames)), 8).save(os.path.join(args.out, "morph.png"))
    data = load_sprites(args.data)
    real = ((data[::239][:8] + 1) * 127.5).round().clamp(0, 255).byte().numpy().transpose(0, 2, 3, 1)
    sheet(real, 8).save(os.path.join(args.out, "train.png"))
    print("wrote sheet.png, morph.png, train.png in", args.out)


if __name__ == "__main__":
    main()
