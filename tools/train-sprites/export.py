#!/usr/bin/env python3
"""Exports the sprite artist (out/sprites.pt) as the GAN layout Muse4j's onnx backend loads:

  model.onnx   input z float32 [N, 100]; output image float32 [N, 3, 32, 32] (NCHW, tanh, RGB)
  gan.json     {"description": ...}: every other field takes its default (normal latent, tanh, layout from the shape)

Usage: /usr/bin/python3 export.py [--checkpoint out/sprites.pt] [--weights ema|generator] [--out DIR]
"""
import argparse
import json
import os

import torch

from sample import latent, load

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                           "models/sprites/src/main/resources/dev/muse4j/models/sprites")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="out/sprites.pt")
    ap.add_argument("--weights", default="ema", choices=["ema", "generator"])
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    g = load(args.checkpoint, args.weights)
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "model.onnx")
    torch.onnx.export(g, (latent(1),), path, input_names=["z"], output_names=["image"],
                      dynamic_axes={"z": {0: "batch"}, "image": {0: "batch"}}, opset_version=14,
                      do_constant_folding=True)
    step = torch.load(args.checkpoint)["step"]
    with open(os.path.join(args.out, "gan.json"), "w") as f:
        json.dump({"description": f"Muse4j sprite artist: DCGAN, latent 100, 32x32 RGB, trained on Noto Emoji "
                                  f"({step} steps, {args.weights} weights); see tools/train-sprites"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "muse4j-model.txt"), "w") as f:
        f.write("# The files of this class path model, one per line: the onnx backend reads this index to load\n"
                "# classpath:dev/muse4j/models/sprites (a class loader cannot list a folder inside a jar).\n"
                "model.onnx\ngan.json\n")
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
