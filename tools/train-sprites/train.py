#!/usr/bin/env python3
"""Trains Muse4j's embedded sprite artist: a small DCGAN (latent 100, 32x32 RGB, tanh output, NCHW).

Data: the Noto Emoji images (64x64 PNG) in the npm package `emoji-datasource-google` 16.0.0, one per emoji (skin-tone
variants left out), composited over a fixed white background and reduced to 32x32 with a box filter.
See README.md for the exact commands and SOURCES.md for the licences.

Reproducible: the data order, the flips and the initial weights all follow --seed; --steps fixes the length.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

LATENT = 100
SIDE = 32
WIDTH = 32
BACKGROUND = (255, 255, 255)


def load_sprites(package_dir, side=SIDE):
    """Every base emoji with a Google image, as float32 [N, 3, side, side] in [-1, 1], in emoji.json's sort order."""
    with open(os.path.join(package_dir, "emoji.json"), encoding="utf-8") as f:
        emoji = sorted(json.load(f), key=lambda e: e["sort_order"])
    out = []
    for e in emoji:
        path = os.path.join(package_dir, "img", "google", "64", e["image"])
        if not e.get("has_img_google") or not os.path.exists(path):
            continue
        rgba = Image.open(path).convert("RGBA")
        background = Image.new("RGBA", rgba.size, BACKGROUND + (255,))
        rgb = Image.alpha_composite(background, rgba).convert("RGB").resize((side, side), Image.BOX)
        out.append(np.asarray(rgb, dtype=np.float32))
    x = np.stack(out).transpose(0, 3, 1, 2) / 127.5 - 1.0
    return torch.from_numpy(np.ascontiguousarray(x))


class Generator(nn.Module):
    """z [N, 100] -> 4x4 -> 8x8 -> 16x16 -> 32x32 RGB in [-1, 1]."""

    def __init__(self, width=WIDTH):
        super().__init__()
        w = width
        self.net = nn.Sequential(
            nn.ConvTranspose2d(LATENT, 4 * w, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * w), nn.ReLU(True),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.ReLU(True),
            nn.ConvTranspose2d(2 * w, w, 4, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(True),
            nn.ConvTranspose2d(w, 3, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.net(z.reshape(z.shape[0], LATENT, 1, 1))


class Discriminator(nn.Module):
    def __init__(self, width=WIDTH):
        super().__init__()
        w = width
        self.net = nn.Sequential(
            nn.Conv2d(3, w, 4, 2, 1), nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w, 4 * w, 4, 2, 1, bias=False), nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(4 * w, 1, 4, 1, 0))

    def forward(self, x):
        return self.net(x).reshape(-1)


def init_weights(m):
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=".cache/node_modules/emoji-datasource-google")
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--out", default="out/sprites.pt")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    data = load_sprites(args.data)
    print(f"{len(data)} training sprites", flush=True)
    g, d = Generator(), Discriminator()
    g.apply(init_weights)
    d.apply(init_weights)
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ema = Generator()
    ema.load_state_dict(g.state_dict())
    ema.requires_grad_(False)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    start = time.time()
    order, pos = rng.permutation(len(data)), 0
    for step in range(1, args.steps + 1):
        if pos + args.batch > len(order):
            order, pos = rng.permutation(len(data)), 0
        idx = order[pos:pos + args.batch]
        pos += args.batch
        real = data[idx]
        flip = torch.from_numpy(rng.random(len(idx)) < 0.5)
        real = torch.where(flip[:, None, None, None], real.flip(3), real)
        z = torch.randn(len(idx), LATENT)
        fake = g(z)
        # discriminator: one-sided label smoothing (0.9) keeps it from overpowering the small generator
        opt_d.zero_grad()
        loss_d = bce(d(real), torch.full((len(idx),), 0.9)) + bce(d(fake.detach()), torch.zeros(len(idx)))
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(d(fake), torch.ones(len(idx)))
        loss_g.backward()
        opt_g.step()
        with torch.no_grad():  # an exponential moving average of the generator's weights samples more cleanly
            for pe, pg in zip(ema.parameters(), g.parameters()):
                pe.lerp_(pg, 1e-3)
            for be, bg in zip(ema.buffers(), g.buffers()):
                be.copy_(bg)
        if step % 100 == 0 or step == args.steps:
            print(f"step {step} loss_d {loss_d.item():.3f} loss_g {loss_g.item():.3f} "
                  f"{time.time() - start:.0f}s", flush=True)
        if step % 1000 == 0 or step == args.steps:
            torch.save({"generator": g.state_dict(), "ema": ema.state_dict(), "step": step, "seed": args.seed},
                       args.out)
    print(f"done in {time.time() - start:.0f}s", flush=True)


if __name__ == "__main__":
    main()
