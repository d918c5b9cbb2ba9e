#!/usr/bin/env python3
"""Trains Muse4j's embedded poet and exports it in the Hugging Face Optimum decoder layout.

The poet is a small character-level GPT-2-style decoder trained on classical Chinese quatrains (jueju: four lines
of five or seven characters) from the npm package `chinese-poetry` (MIT). See README.md for the exact commands.

Reproducible: the corpus order, the split and the initial weights all follow --seed.
"""
import argparse
import glob
import json
import math
import os
import random
import re
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SPECIALS = ["<pad>", "<unk>", "<s>", "</s>"]
PAD, UNK, BOS, EOS = 0, 1, 2, 3
LINE = re.compile(r"^[\u4e00-\u9fff]{5}[，。！？；]$|^[\u4e00-\u9fff]{7}[，。！？；]$")


def load_quatrains(corpus_dir):
    """Every four-line regular quatrain (all lines five, or all seven, characters) in the Tang and Song files."""
    poems = []
    files = sorted(glob.glob(os.path.join(corpus_dir, "poet.tang.*.json")) +
                   glob.glob(os.path.join(corpus_dir, "poet.song.*.json")))
    for path in files:
        with open(path, encoding="utf-8") as f:
            for poem in json.load(f):
                paragraphs = poem.get("paragraphs") or []
                if len(paragraphs) != 2:
                    continue
                lines = []
                for p in paragraphs:
                    parts = re.findall(r"[^，。！？；]+[，。！？；]", p)
                    if "".join(parts) != p:
                        lines = []
                        break
                    lines.extend(parts)
                if len(lines) == 4 and all(LINE.match(l) for l in lines) and len({len(l) for l in lines}) == 1:
                    poems.append("\n".join(lines))
    return poems


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, bias, past_k, past_v):
        b, s, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.view(b, s, self.heads, hd).transpose(1, 2)
        k = torch.cat([past_k, k.view(b, s, self.heads, hd).transpose(1, 2)], dim=2)
        v = torch.cat([past_v, v.view(b, s, self.heads, hd).transpose(1, 2)], dim=2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd) + bias
        y = F.softmax(att, dim=-1) @ v
        x = x + self.proj(y.transpose(1, 2).reshape(b, s, d))
        x = x + self.mlp(self.ln2(x))
        return x, k, v


class Poet(nn.Module):
    def __init__(self, vocab, d, layers, heads, positions):
        super().__init__()
        self.d, self.layers, self.heads, self.positions = d, layers, heads, positions
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(positions, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.apply(self._init)

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def forward(self, input_ids, attention_mask, position_ids, pasts):
        """pasts: list of (key, value), each [batch, heads, past_seq, head_dim]. Returns logits and presents."""
        s = input_ids.shape[1]
        past_len = pasts[0][0].shape[2]
        total = past_len + s
        query_pos = torch.arange(s).unsqueeze(1) + past_len
        key_pos = torch.arange(total).unsqueeze(0)
        causal = key_pos <= query_pos                                       # [s, total]
        allowed = causal.unsqueeze(0).unsqueeze(0) & (attention_mask[:, None, None, :] > 0)
        bias = torch.zeros(allowed.shape, dtype=torch.float32).masked_fill(~allowed, -1e9)
        x = self.wte(input_ids) + self.wpe(position_ids)
        presents = []
        for block, (pk, pv) in zip(self.blocks, pasts):
            x, k, v = block(x, bias, pk, pv)
            presents.append((k, v))
        logits = self.ln_f(x) @ self.wte.weight.t()
        return logits, presents

    def empty_pasts(self, batch):
        hd = self.d // self.heads
        return [(torch.zeros(batch, self.heads, 0, hd), torch.zeros(batch, self.heads, 0, hd))
                for _ in range(self.layers)]


def encode(text, index):
    return [index.get(c, UNK) for c in text]


def batches(data, batch_size, rng):
    order = list(range(len(data)))
    rng.shuffle(order)
    for i in range(0, len(order) - batch_size + 1, batch_size):
        yield [data[j] for j in order[i:i + batch_size]]


def to_tensor(seqs):
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = 1
    return ids, mask


def loss_on(model, seqs):
    ids, mask = to_tensor(seqs)
    positions = torch.arange(ids.shape[1]).unsqueeze(0).expand_as(ids)
    logits, _ = model(ids[:, :-1], mask[:, :-1], positions[:, :-1], model.empty_pasts(ids.shape[0]))
    target = ids[:, 1:].masked_fill(mask[:, 1:] == 0, -100)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=-100)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", default=".cache/node_modules/chinese-poetry/dist/quantangshi")
    ap.add_argument("--out", default="out")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--vocab", type=int, default=4000, help="most frequent characters kept")
    ap.add_argument("--d", type=int, default=192)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--steps", type=int, default=2800,
                    help="optimizer steps; with --steps the run is reproducible step for step from --seed")
    ap.add_argument("--minutes", type=float, default=0.0,
                    help="a time budget instead of --steps (the schedule then follows the clock)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    poems = load_quatrains(args.corpus)
    rng.shuffle(poems)
    counts = {}
    for p in poems:
        for c in p:
            counts[c] = counts.get(c, 0) + 1
    chars = sorted(counts, key=lambda c: (-counts[c], c))
    chars = [c for c in chars if c != "\n"][:args.vocab - len(SPECIALS) - 1]
    vocab = SPECIALS + ["\n"] + chars
    index = {t: i for i, t in enumerate(vocab)}
    data = [[BOS] + encode(p, index) + [EOS] for p in poems]
    val_n = max(500, len(data) // 50)
    val, train = data[:val_n], data[val_n:]
    positions = max(len(s) for s in data)
    print(f"{len(poems)} quatrains, vocab {len(vocab)}, train {len(train)}, val {len(val)}, positions {positions}",
          flush=True)

    model = Poet(len(vocab), args.d, args.layers, args.heads, positions)
    params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {params}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.05)
    start = time.time()
    budget = args.minutes * 60 if args.minutes > 0 else None
    step = 0
    epoch = 0
    done = False
    while not done:
        epoch += 1
        for batch in batches(train, args.batch, rng):
            frac = step / args.steps if args.minutes <= 0 else (time.time() - start) / budget
            if frac >= 1:
                done = True
                break
            for g in opt.param_groups:
                g["lr"] = 2e-3 * min(1.0, step / 300) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
            loss = loss_on(model, batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            if step % 200 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.3f} {time.time() - start:.0f}s", flush=True)
    model.eval()
    with torch.no_grad():
        val_loss = sum(loss_on(model, val[i:i + 256]).item() * len(val[i:i + 256])
                       for i in range(0, len(val), 256)) / len(val)
    minutes = (time.time() - start) / 60
    print(f"final validation loss {val_loss:.4f} after {step} steps, {minutes:.1f} minutes", flush=True)
    torch.save({"state": model.state_dict(), "vocab": vocab,
                "config": {"d": args.d, "layers": args.layers, "heads": args.heads, "positions": positions},
                "stats": {"params": params, "val_loss": val_loss, "steps": step, "minutes": minutes,
                          "quatrains": len(poems), "seed": args.seed}},
               os.path.join(args.out, "poet.pt"))


if __name__ == "__main__":
    main()
