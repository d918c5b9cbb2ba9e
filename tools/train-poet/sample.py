#!/usr/bin/env python3
"""Prints poems from the trained checkpoint with the training toolchain's own sampler (for quick checks while
training; the SDK samples with its own seeded sampler, so its poems differ for the same seed)."""
import argparse

import torch
import torch.nn.functional as F

from train import BOS, EOS, Poet


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="out/poet.pt")
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--opening", default="春")
    args = ap.parse_args()
    ckpt = torch.load(args.checkpoint)
    cfg, vocab = ckpt["config"], ckpt["vocab"]
    index = {t: i for i, t in enumerate(vocab)}
    model = Poet(len(vocab), cfg["d"], cfg["layers"], cfg["heads"], cfg["positions"])
    model.load_state_dict(ckpt["state"])
    model.eval()
    for seed in range(args.count):
        torch.manual_seed(seed)
        ids = [BOS] + [index[c] for c in args.opening]
        with torch.no_grad():
            while len(ids) < cfg["positions"]:
                x = torch.tensor([ids])
                logits, _ = model(x, torch.ones_like(x), torch.arange(len(ids)).unsqueeze(0), model.empty_pasts(1))
                probs = F.softmax(logits[0, -1] / 0.8, dim=-1)
                nxt = torch.multinomial(probs, 1).item()
                if nxt == EOS:
                    break
                ids.append(nxt)
        print("".join(vocab[i] for i in ids[1:]), "\n")


if __name__ == "__main__":
    main()
