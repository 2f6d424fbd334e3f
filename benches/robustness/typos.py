#!/usr/bin/env python3
"""Typos added to a labelled eval set, for measuring how typos cost answers.

Usage: typos.py EVAL.tsv SEED [one|two|word] > typos.tsv

Every answerable message gets one typo (or two, in different words) in a word of six letters
or more: a letter replaced by its neighbour on the keyboard, two letters swapped, a letter
dropped or doubled. Messages without an article (`-`) are left out. Then
`vraagbaak eval typos.tsv` gives the figures; the README quotes the mean of seeds 1-5
(1, 3, 5 with one typo; 2, 4 with two). With `word`, two typos go into one word of nine
letters or more, and messages without such a word are left out (seeds 1-3 in the README).
"""
import random
import re
import sys

ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbour(rng, c):
    for row in ROWS:
        i = row.find(c)
        if i >= 0:
            return rng.choice([row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)])
    return c


def typo(rng, word):
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["replace", "swap", "drop", "double"])
    if kind == "replace":
        return word[:i] + neighbour(rng, word[i]) + word[i + 1:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def main():
    path, seed = sys.argv[1], int(sys.argv[2])
    mode = sys.argv[3] if len(sys.argv) > 3 else "one"
    per_message = 2 if mode == "two" else 1
    rng = random.Random(seed)
    print("message\texpected")
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if "\t" not in line or line.startswith("message\t"):
                continue
            message, expected = line.rstrip("\n").split("\t")
            if expected == "-":
                continue
            if mode == "word":
                words = [(m.start(), m.end()) for m in re.finditer(r"[a-zA-Z]{9,}", message)]
                if not words:
                    continue
                start, end = rng.choice(words)
                message = message[:start] + typo(rng, typo(rng, message[start:end])) + message[end:]
            else:
                words = [(m.start(), m.end()) for m in re.finditer(r"[a-zA-Z]{6,}", message)]
                chosen = rng.sample(words, min(per_message, len(words)))
                for start, end in sorted(chosen, reverse=True):
                    message = message[:start] + typo(rng, message[start:end]) + message[end:]
            print(f"{message}\t{expected}")


if __name__ == "__main__":
    main()
