#!/usr/bin/env python3
"""Novelty and diversity of the sprite artist on 1,000 sprites (seeds 1 to 1000, the SDK's latents), as
docs/samples.md reports them. Distances are root-mean-square differences per RGB value, 0 to 255, between sprites
quantised to bytes as the SDK quantises them.

  novelty     mean distance from each generated sprite to its nearest training sprite (near 0 would mean copies);
              for scale, the same figure for each training sprite to its nearest other training sprite
  diversity   mean distance between two generated sprites, against the same mean over all training pairs
              (a collapsed generator would score far below the training set)

Usage: /usr/bin/python3 metrics.py [--checkpoint out/sprites.pt] [--weights ema|generator] [--count 1000]
"""
import argparse

import numpy as np
import torch

from sample import latent, load, to_uint8
from train import load_sprites


def pairwise_sq(a, b):
    """Squared Euclidean distances between the rows of a and b, in float64."""
    return np.maximum((a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T, 0)


def mean_pairwise(x):
    d = np.sqrt(pairwise_sq(x, x) / x.shape[1])
    n = len(x)
    return d.sum() / (n * (n - 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="out/sprites.pt")
    ap.add_argument("--weights", default="ema", choices=["ema", "generator"])
    ap.add_argument("--data", default=".cache/node_modules/emoji-datasource-google")
    ap.add_argument("--count", type=int, default=1000)
    args = ap.parse_args()
    g = load(args.checkpoint, args.weights)
    with torch.no_grad():
        fake = np.concatenate([to_uint8(g(torch.cat([latent(s) for s in range(start, min(start + 100, args.count + 1))])))
                               for start in range(1, args.count + 1, 100)])
    real = load_sprites(args.data)
    real = to_uint8(real)
    f = fake.reshape(len(fake), -1).astype(np.float64)
    r = real.reshape(len(real), -1).astype(np.float64)
    dims = f.shape[1]
    novelty = np.sqrt(pairwise_sq(f, r).min(1) / dims).mean()
    rr = pairwise_sq(r, r)
    np.fill_diagonal(rr, np.inf)
    train_nearest = np.sqrt(rr.min(1) / dims).mean()
    div_fake = mean_pairwise(f)
    div_real = mean_pairwise(r)
    print(f"sprites: {len(f)} generated, {len(r)} training")
    print(f"novelty: mean RMS distance to the nearest training sprite {novelty:.1f} "
          f"(training sprites to their nearest other training sprite: {train_nearest:.1f})")
    print(f"diversity: mean pairwise RMS distance {div_fake:.1f} generated vs {div_real:.1f} training "
          f"(ratio {div_fake / div_real:.2f})")


if __name__ == "__main__":
    main()
