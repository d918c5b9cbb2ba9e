#!/usr/bin/env python3
"""Exports the trained poet (out/poet.pt) in the Hugging Face Optimum decoder-with-past layout that Muse4j's onnx
backend loads, and writes its tokenizer and configs:

  model.onnx              inputs input_ids, attention_mask, position_ids (int64) and past_key_values.N.key/.value
                          float32 [batch, heads, past, head_dim]; outputs logits and present.N.key/.value
  config.json             GPT-2 style fields (n_layer, n_head, n_embd, n_positions, vocab_size, bos/eos ids)
  generation_config.json  the sampling defaults the poems are best with
  tokenizer.json          character-level WordLevel tokenizer: every character is a token, <s> is prepended
  tokenizer_config.json   special tokens

Usage: /usr/bin/python3 export.py [--checkpoint out/poet.pt] [--out DIR]
"""
import argparse
import json
import os

import torch

from train import BOS, EOS, PAD, UNK, Poet


class OptimumWrapper(torch.nn.Module):
    """Flat named inputs and outputs, as torch.onnx.export needs them."""

    def __init__(self, poet):
        super().__init__()
        self.poet = poet

    def forward(self, input_ids, attention_mask, position_ids, *flat_past):
        pasts = [(flat_past[2 * i], flat_past[2 * i + 1]) for i in range(len(flat_past) // 2)]
        logits, presents = self.poet(input_ids, attention_mask, position_ids, pasts)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)


def tokenizer_json(vocab):
    specials = vocab[:4]
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for i, t in enumerate(specials)],
        "normalizer": None,
        "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "[\\s\\S]"}, "behavior": "Isolated",
                          "invert": False},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": {"<s>": {"id": "<s>", "ids": [BOS], "tokens": ["<s>"]}}},
        "decoder": {"type": "Fuse"},
        "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(vocab)}, "unk_token": "<unk>"},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--checkpoint", default="out/poet.pt")
    ap.add_argument("--out", default="../../models/poet/src/main/resources/dev/muse4j/models/poet")
    args = ap.parse_args()
    ckpt = torch.load(args.checkpoint)
    cfg = ckpt["config"]
    vocab = ckpt["vocab"]
    poet = Poet(len(vocab), cfg["d"], cfg["layers"], cfg["heads"], cfg["positions"])
    poet.load_state_dict(ckpt["state"])
    poet.eval()
    os.makedirs(args.out, exist_ok=True)

    hd = cfg["d"] // cfg["heads"]
    ids = torch.tensor([[BOS, 5, 6]])
    mask = torch.ones((1, 5), dtype=torch.long)
    pos = torch.tensor([[2, 3, 4]])
    past = []
    names_in = ["input_ids", "attention_mask", "position_ids"]
    names_out = ["logits"]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
            "position_ids": {0: "batch_size", 1: "sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    for i in range(cfg["layers"]):
        for kind in ("key", "value"):
            past.append(torch.zeros((1, cfg["heads"], 2, hd)))
            names_in.append(f"past_key_values.{i}.{kind}")
            names_out.append(f"present.{i}.{kind}")
            axes[names_in[-1]] = {0: "batch_size", 2: "past_sequence_length"}
            axes[names_out[-1]] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(OptimumWrapper(poet), (ids, mask, pos, *past), os.path.join(args.out, "model.onnx"),
                          input_names=names_in, output_names=names_out, dynamic_axes=axes, opset_version=14,
                          do_constant_folding=False)

    stats = ckpt["stats"]

    def dump(name, value):
        with open(os.path.join(args.out, name), "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False, indent=1 if name != "tokenizer.json" else None)
            f.write("\n")

    dump("config.json", {"model_type": "gpt2", "architectures": ["Muse4jPoet"], "n_layer": cfg["layers"],
                         "n_head": cfg["heads"], "n_embd": cfg["d"], "n_positions": cfg["positions"],
                         "vocab_size": len(vocab), "bos_token_id": BOS, "eos_token_id": EOS, "pad_token_id": PAD,
                         "muse4j_training": stats})
    dump("generation_config.json", {"bos_token_id": BOS, "eos_token_id": EOS, "do_sample": True,
                                    "temperature": 0.8, "top_k": 40, "top_p": 0.95,
                                    "max_new_tokens": cfg["positions"] - 2})  # <s> and the opening character
    dump("tokenizer.json", tokenizer_json(vocab))
    dump("tokenizer_config.json", {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                                   "pad_token": "<pad>", "model_max_length": cfg["positions"],
                                   "tokenizer_class": "PreTrainedTokenizerFast"})
    with open(os.path.join(args.out, "muse4j-model.txt"), "w", encoding="utf-8") as f:
        f.write("# The files of this class path model, one per line: the onnx backend reads this index to load\n"
                "# classpath:dev/muse4j/models/poet (a class loader cannot list a folder inside a jar).\n"
                "model.onnx\nconfig.json\ngeneration_config.json\ntokenizer.json\ntokenizer_config.json\n")
    print("exported to", os.path.abspath(args.out), "unk id", UNK)


if __name__ == "__main__":
    main()
