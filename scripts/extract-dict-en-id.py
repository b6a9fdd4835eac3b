#!/usr/bin/env python3
"""Extracts data/dict-en-id.tsv from Debian's dict-freedict-eng-ind.

The FreeDict English-Indonesian dictionary (WikDict, from Wiktionary;
CC-BY-SA 3.0) backs kutip's hand-checked glossary for cross-lingual search
outside its field. Run it where the package is installed, or point it at an
unpacked .deb:

    apt-get install dict-freedict-eng-ind
    scripts/extract-dict-en-id.py > data/dict-en-id.tsv
    scripts/extract-dict-en-id.py /tmp/x/usr/share/dictd > data/dict-en-id.tsv

An entry of the dictd file is a headword line `word /ipa/ <pos>`, then per
sense a line of comma-separated translations (numbered `1. ` when there are
several senses) and a line of English gloss. Kept: single words and short
terms used as nouns, verbs, adjectives and adverbs, each translation one to
three words; left out: affixes, phrase-book sentences, abbreviations,
translations with ellipses or brackets, and pairs of function words (which a
query's coordination weighs at nothing anyway). Of a headword's entries, only
the first with translations is kept, and at most four translations of it.
"""

import base64
import gzip
import re
import sys

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

MAX_PER_WORD = 4

KEEP_POS = {"n", "v", "adj", "adv", "prop", "name"}

# English function words: a dictionary gives them translations, but those
# would match most Indonesian passages.
EN_FUNCTION = set(
    """a an and are as at be been but by can could did do does for from had has
    have he her his how i if in into is it its me my no not of on or our she so
    such than that the their them then there these they this those to us was we
    were what when where which while who whom whose why will with would you your
    about after before over under up down out off very much many more most some
    any all each every other""".split()
)

ID_FUNCTION = set(
    """adalah akan antara atau bagi bahwa belum dalam dan dapat dari dengan di
    hanya harus ini itu juga karena ke kepada ketika lebih masih mereka namun
    oleh pada para saja sebagai sebuah sedang sejak sudah tersebut tetapi tidak
    untuk yaitu yang ada ia dia telah serta tentang terhadap melalui secara
    seperti kami kita saya aku kamu anda engkau se nya pun lah kah""".split()
)


def b64(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def entries(folder):
    with open(f"{folder}/freedict-eng-ind.index", encoding="utf-8") as f:
        index = [line.rstrip("\n").split("\t") for line in f]
    data = gzip.open(f"{folder}/freedict-eng-ind.dict.dz").read()
    seen = set()
    for head, off, size in index:
        if head.startswith("00database"):
            continue
        key = (off, size)
        if key in seen:
            continue
        seen.add(key)
        o, n = b64(off), b64(size)
        yield data[o : o + n].decode("utf-8")


HEAD = re.compile(r"^(?P<word>.+?)(?: /.*?/)*(?: <(?P<pos>[^>]+)>)?\s*$")


def senses(lines):
    """Translation lines of an entry: the first line after the headword and,
    after each gloss, a line that starts with a sense number."""
    out = []
    expect = True
    for line in lines:
        s = line.strip()
        if not s:
            continue
        numbered = re.match(r"^\d+\.\s*(.*)$", s)
        if expect or numbered:
            text = numbered.group(1) if numbered else s
            # A sense number closing the line opens the next sense there.
            text = re.sub(r"\s+\d+\.$", "", text)
            out.append(text)
            expect = False
        else:
            expect = False
    return out


def clean_word(w):
    return w.strip().lower()


def good_translation(t):
    if not t or "..." in t or "…" in t or any(c in t for c in "()[]{}/=;:!?\"“”"):
        return False
    words = t.split()
    if not 1 <= len(words) <= 3:
        return False
    if all(w in ID_FUNCTION for w in words):
        return False
    return all(re.fullmatch(r"[a-zà-ÿ'-]+", w) for w in words)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dictd"
    pairs = []
    done = set()
    for text in entries(folder):
        lines = text.split("\n")
        m = HEAD.match(lines[0])
        if not m:
            continue
        word = clean_word(m.group("word"))
        pos = (m.group("pos") or "").split()[0] if m.group("pos") else ""
        if pos not in KEEP_POS:
            continue
        words = word.split()
        if not 1 <= len(words) <= 3 or not re.fullmatch(r"[a-z][a-z' -]*", word):
            continue
        if all(w in EN_FUNCTION for w in words):
            continue
        # A headword's first entry (its first part of speech) with
        # translations gives its translations, at most MAX_PER_WORD of them in
        # the dictionary's order: later senses and parts of speech are rarer
        # meanings (`water` <v>: `kencing`) that would only add noise.
        if word in done:
            continue
        found = []
        for line in senses(lines[1:]):
            for t in line.split(","):
                t = clean_word(t)
                if good_translation(t) and t not in found:
                    found.append(t)
        if found:
            done.add(word)
            pairs.extend((word, t) for t in found[:MAX_PER_WORD])
    pairs.sort()
    print("# dict-en-id.tsv: English-Indonesian word pairs for kutip's cross-lingual")
    print("# search, extracted by scripts/extract-dict-en-id.py from Debian's")
    print("# dict-freedict-eng-ind (FreeDict English-Bahasa Indonesia FreeDict+WikDict")
    print("# dictionary, edition 2022.11.18, from Wiktionary via WikDict and DBnary).")
    print("# Licence: CC-BY-SA 3.0; see data/dict-en-id.LICENSE. Format: english<TAB>indonesian.")
    for en, id_ in pairs:
        print(f"{en}\t{id_}")


if __name__ == "__main__":
    main()
