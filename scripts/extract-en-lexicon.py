#!/usr/bin/env python3
"""Extract the English word-family lexicon used by kutip's English analyzer.

    apt-get update && apt-get install -y hunspell-en-us hunspell-en-gb wordnet-base
    python3 scripts/extract-en-lexicon.py            # writes data/en-families.txt
    python3 scripts/extract-en-lexicon.py --measure  # figures of each candidate on the gold set

Sources (licences in data/en-families.LICENSE):
  * hunspell-en-us (SCOWL, Kevin Atkinson): /usr/share/hunspell/en_US.{dic,aff}
  * hunspell-en-gb (SCOWL, Marco Pinto):    /usr/share/hunspell/en_GB.{dic,aff}
  * wordnet-base (WordNet 3.0, Princeton):  /usr/share/wordnet/{data,*.exc,index}.*

Rules (reproducible, no hand editing):
  * Known words: every lower-case, alphabetic en_US entry with all its suffix
    expansions (the .aff SFX rules: plural, -ed, -ing, -er, -est, -ly, -ness,
    -ion, -ive, -able, -ment, -th), and every prefix expansion (re-, un-, dis-,
    ...) as a word of its own; plus every one-word WordNet lemma. Capitalised
    entries (names) are left out.
  * Families (union-find) join:
      1. an en_US entry and its suffix expansions (hunspell's author lists them
         as forms of that entry: create -> creation, creative);
      2. an irregular form and its lemma from WordNet's exception lists
         (went -> go, analyses -> analysis), unless the form is itself a lemma
         of the same part of speech tagged at least a third as often as the
         lemma in WordNet's sense counts (found, lay, saw stay apart from
         find, lie, see; men, felt, better join man, feel, good);
      2b. an inflected form and the lemma WordNet's detachment rules give
         (morphy; the most frequent lemma when several fit), and a hunspell
         expansion only when it is no other lemma's form (hop -> hoping is
         hunspell's over-generation: hoping is hope's) and no more frequent
         entry generates it too (carer: care, not car);
      2c. a derived word (-ity, -ness, -ful, -al, -dom, -th, -ian, -ist, -ion,
         ...) and the known word left by removing its suffix (undoubling a
         final consonant: occurrence -> occur), when the derived word is no
         WordNet lemma, or WordNet links the two, or one of its WordNet
         definitions names a word of the base's family (freedom: "being
         free"; democratization: "making something democratic"), or it is
         an adjective in -ful made of a noun (peaceful);
      3. two lemmas joined by a WordNet derivational link (`+` pointer:
         decide ~ decision, sovereign ~ sovereignty) when they share a prefix
         of at least max(MIN_PREFIX, shorter length - SLACK) letters, and the
         lemmas so joined stay at most CAP per family. WordNet's links are
         noisy (they follow senses: `process` ~ `procession`), and the
         prefix rule keeps the joins that are one word's derivations.
         Attribute pointers between whole synsets (wide = width) count as
         links between their words. An agent noun (X+er, X+or) linked through
         a sense that is not its most frequent (WordNet's index order) is
         not joined, by the link or by that sense's definition:
         letter (one who lets), tower (one who tows), tender (one who
         tends) stay apart from let, tow, tend.
  * British spellings: an en_GB word that en_US lacks is joined to the en_US
    word that one or two spelling rewrites give (our/or, re/er, ise/ize,
    yse/yze, ae/e, oe/e, ll/l, l/ll, ogue/og, mme/m, ence/ense, ement/ment,
    eing/ing, ou/o, ough/ow, ey/ay, sc/sk, ise/ice), when that word is known.
  * Each family is written on one line, its head first: the shortest member
    (ties: the en_US spelling, then alphabetical), which every member is
    indexed as. Words of no
    family are written too (one per line) so that the analyzer knows them.

The --measure mode prints, for each candidate rule set, conflation on
tests/data/en-gold.tsv and collisions on tests/data/en-no-collide.tsv, words
outside the lexicon being left as they are (the analyzer's fallback is
measured by tests/english_gold.rs).
"""

import re
import sys
from collections import defaultdict

HUNSPELL = "/usr/share/hunspell"
WORDNET = "/usr/share/wordnet"
OUT = "data/en-families.txt"

# Chosen by --measure on the gold set (words outside the lexicon left as
# they are; each step adds to the one before): hunspell inflections only
# 16.8% conflation; + hunspell derivations 25.3% (without the own-word guard
# 26.7% but 7/76 collisions: news/new, business/busy, number/numb); + WordNet
# exceptions 55.9%; + detachment rules 58.5%; + British spellings 68.4%; +
# suffix rules 83.6%; + WordNet links with prefix >= max(3, shorter - 2),
# cap 12: 97.2%, 2/76 collisions. All links with no prefix rule and no cap:
# 98.4%, 2/76, but families of up to 289 words (WordNet's sense links chain
# unrelated words together, which 76 pairs cannot show); shorter - 1: 91.3%;
# cap 6: 93.9%; cap 25 or none: 97.2% with larger families (49, 43, 42);
# shorter - 3: 97.6% (two more lines) for joins that rewrite three letters,
# which the pairs cannot test either: left out. Agent nouns joined only
# through their most frequent sense (MAX_RANK 0): 97.2%, 1/76 (tend/tender
# apart); through their two or three most frequent: 97.2%, 2/76.
MIN_PREFIX = 3
SLACK = 2
CAP = 12
MAX_RANK = 0

WORD = re.compile(r"^[a-z]+$")


def read_aff(path):
    """SFX/PFX rules: flag -> (kind, [(strip, add, condition regex)])."""
    rules = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[0] in ("SFX", "PFX"):
                kind, flag = parts[0], parts[1]
                if parts[2] in ("Y", "N") and len(parts) == 4:
                    rules[flag] = (kind, [])
                    continue
                strip = "" if parts[2] == "0" else parts[2]
                add = "" if parts[3] == "0" else parts[3].split("/")[0]
                cond = parts[4] if len(parts) > 4 else "."
                anchored = cond + "$" if kind == "SFX" else "^" + cond
                rules[flag][1].append((strip, add, re.compile(anchored)))
    return rules


def apply(kind_rules, word):
    kind, rs = kind_rules
    out = []
    for strip, add, cond in rs:
        if not cond.search(word):
            continue
        if kind == "SFX":
            if strip and not word.endswith(strip):
                continue
            base = word[: len(word) - len(strip)] if strip else word
            out.append(base + add)
        else:
            if strip and not word.startswith(strip):
                continue
            out.append(add + word[len(strip):])
    return out


def read_dic(lang):
    """(entry, [(suffix form, flag)]) for each lower-case alphabetic entry,
    with prefixed entries as entries of their own."""
    rules = read_aff(f"{HUNSPELL}/{lang}.aff")
    entries = []
    with open(f"{HUNSPELL}/{lang}.dic", encoding="utf-8") as f:
        next(f)
        for line in f:
            word, _, flags = line.strip().partition("/")
            if not WORD.match(word):
                continue
            sfx = [fl for fl in flags if fl in rules and rules[fl][0] == "SFX"]
            pfx = [fl for fl in flags if fl in rules and rules[fl][0] == "PFX"]
            bases = [word] + [p for fl in pfx for p in apply(rules[fl], word)]
            for base in bases:
                forms = [(x, fl) for fl in sfx for x in apply(rules[fl], base) if x != base]
                entries.append((base, [(x, fl) for x, fl in forms if WORD.match(x)]))
    return entries


def read_wordnet():
    """Lemmas by part of speech, derivational links, exceptions."""
    lemmas = defaultdict(set)
    glosses = defaultdict(list)
    synsets = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        with open(f"{WORDNET}/data.{name}", encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fields = line.split(" | ")[0].split()
                offset, wcnt = fields[0], int(fields[3], 16)
                words = [
                    re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(wcnt)
                ]
                i = 4 + 2 * wcnt
                pcnt = int(fields[i])
                ptrs = []
                for j in range(pcnt):
                    sym, toff, tpos, st = fields[i + 1 + 4 * j : i + 5 + 4 * j]
                    if sym in ("+", "=") or (sym == "\\" and pos in ("a", "r")):
                        ptrs.append((int(st[:2], 16), toff, "a" if tpos == "s" else tpos, int(st[2:], 16)))
                synsets[(pos, offset)] = (words, ptrs)
                # The definitions, without the quoted examples.
                definition = re.sub(r'"[^"]*"', " ", line.partition(" | ")[2].lower())
                gloss = frozenset(re.findall(r"[a-z]+", definition))
                for w in words:
                    glosses[w].append((pos, offset, gloss))
                for w in words:
                    lemmas[pos].add(w)
    links = []
    for (pos, here), (words, ptrs) in synsets.items():
        for src, toff, tpos, tgt in ptrs:
            target = synsets.get((tpos, toff))
            if not target:
                continue
            # 0000: the pointer joins the synsets (attributes: wide = width).
            pairs = [(words[src - 1], target[0][tgt - 1])] if src and tgt else [
                (a, b) for a in words for b in target[0]
            ]
            for a, b in pairs:
                if WORD.match(a) and WORD.match(b) and a != b:
                    links.append((a, b, (pos, here), (tpos, toff)))
    exceptions = []
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        with open(f"{WORDNET}/{name}.exc", encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and WORD.match(parts[0]) and WORD.match(parts[1]):
                    exceptions.append((pos, parts[0], parts[1]))
    # Rank of each synset among a word's senses (index.*: most frequent first).
    rank = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        with open(f"{WORDNET}/index.{name}", encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                fields = line.split()
                lemma, scnt = fields[0], int(fields[2])
                for i, offset in enumerate(fields[len(fields) - scnt:]):
                    rank[(lemma, pos, offset)] = i
    counts = defaultdict(int)
    with open(f"{WORDNET}/cntlist.rev", encoding="utf-8") as f:
        for line in f:
            key, _, count = line.split()
            counts[key.split("%")[0]] += int(count)
    # Each word's definitions with the rank of their sense.
    glosses = {
        w: [(rank.get((w, "a" if p == "s" else p, o), 99), g) for p, o, g in gs]
        for w, gs in glosses.items()
    }
    senses = {}
    for a, b, (pa, oa), (pb, ob) in links:
        for w, p, o in ((a, pa, oa), (b, pb, ob)):
            senses[(a, b, w)] = min(senses.get((a, b, w), 99), rank.get((w, "a" if p == "s" else p, o), 99))
    # A link joins the two words by the senses it links; the rank of the
    # longer word's sense there (0: its most frequent sense).
    link_rank = {}
    for a, b, _, _ in links:
        longer = a if len(a) >= len(b) else b
        link_rank[(a, b)] = min(link_rank.get((a, b), 99), senses[(a, b, longer)])
    return lemmas, sorted(link_rank), exceptions, counts, glosses, link_rank


class Families:
    def __init__(self):
        self.parent = {}
        self.linked = {}  # root -> lemmas joined by derivational links

    def add(self, w, lemma=True):
        if w not in self.parent:
            self.parent[w] = w
            self.linked[w] = int(lemma)

    def find(self, w):
        while self.parent[w] != w:
            self.parent[w] = self.parent[self.parent[w]]
            w = self.parent[w]
        return w

    def union(self, a, b, cap=None):
        self.add(a, False)
        self.add(b, False)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if cap is not None and self.linked[ra] + self.linked[rb] > cap:
            return
        self.parent[rb] = ra
        self.linked[ra] += self.linked[rb]

    def groups(self, american=frozenset()):
        """Families, each sorted head first: shortest, American, alphabetical."""
        g = defaultdict(list)
        for w in self.parent:
            g[self.find(w)].append(w)
        return [sorted(ws, key=lambda w: (len(w), w not in american, w)) for ws in g.values()]


def common_prefix(a, b):
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


BRITISH = [
    ("our", "or"), ("re", "er"), ("res", "ers"), ("red", "ered"), ("ise", "ize"), ("is", "iz"),
    ("ys", "yz"), ("ae", "e"), ("oe", "e"), ("ll", "l"), ("l", "ll"), ("ogue", "og"),
    ("mme", "m"), ("ence", "ense"), ("ement", "ment"), ("eing", "ing"), ("ou", "o"),
    ("ough", "ow"), ("ey", "ay"), ("sc", "sk"), ("ise", "ice"), ("isa", "iza"),
]


def rewrites(word):
    for gb, us in BRITISH:
        start = word.find(gb)
        while start != -1:
            yield word[:start] + us + word[start + len(gb):]
            start = word.find(gb, start + 1)


# WordNet's detachment rules (morphy), plus doubled consonants and -ves.
DETACH = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y"), ("ves", "f"), ("ves", "fe")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ing", "e"), ("ing", ""), ("ied", "y"), ("ying", "ie")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e"), ("ier", "y"), ("iest", "y")],
}
INFLECTIONAL = set("SDGRTZMJ")


def detach(word, pos):
    for suffix, ending in DETACH[pos]:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: len(word) - len(suffix)]
            yield suffix, stem + ending
            # planned -> plan, bigger -> big
            if suffix in ("ed", "ing", "er", "est") and len(stem) > 2 and stem[-1] == stem[-2]:
                yield suffix, stem[:-1]


# Derivational suffixes (Krovetz-style): suffix -> endings of the base.
DERIVE = [
    ("ility", ["le"]), ("ity", ["", "e"]), ("ty", [""]), ("iness", ["y"]), ("ness", [""]),
    ("iful", ["y"]), ("ful", [""]), ("ial", ["y"]), ("al", ["", "e"]), ("dom", ["", "e"]),
    ("th", ["", "e"]), ("ship", [""]), ("hood", [""]), ("ian", ["y", ""]), ("ist", ["", "e", "y"]),
    ("ism", ["", "e"]), ("ive", ["", "e"]), ("ment", [""]), ("ally", [""]), ("ily", ["y"]),
    ("ly", ["", "e"]), ("ous", ["", "y"]), ("ic", ["", "y"]), ("ical", ["y", "ic"]),
    ("er", ["", "e"]), ("or", ["", "e"]), ("ance", ["", "e"]), ("ence", ["", "e"]),
    ("able", ["", "e"]), ("ization", ["ize"]), ("isation", ["ise"]), ("ation", ["ate", "e"]),
    ("ition", ["ite", "e"]), ("ion", ["", "e"]),
]


def build(derive_affix=True, exc=True, morphy=True, links=True, guard=True, derive=True,
          max_rank=MAX_RANK,
          min_prefix=MIN_PREFIX, slack=SLACK, cap=CAP, british=True, data=None):
    us_entries, gb_entries, (lemmas, wn_links, exceptions, counts, glosses, link_rank) = data
    lemma_any = set().union(*lemmas.values())
    def agentive(a, b):
        short, long = sorted((a, b), key=len)
        return long in (short + "er", short + "r", short + "or") or (
            long.endswith("er") and long[:-3] == short and long[-3] == long[-4]
        )

    # An agent noun linked through a rare sense (letter: one who lets; tower:
    # one who tows) does not join its common senses to the verb.
    kept = [
        (a, b)
        for a, b in wn_links
        if max_rank is None or not agentive(a, b) or link_rank[(a, b)] <= max_rank
    ]
    linked = set(kept) | {(b, a) for a, b in kept}
    entries = {base for base, _ in us_entries}

    noun_or_verb = lemmas["n"] | lemmas["v"]

    def blocked(base, form, derivational):
        # A form that is a word of its own (evening, number, business) joins
        # its base only when WordNet links the two. Participles and
        # comparatives listed as adjectives (signed, developed) are forms.
        if not guard:
            return False
        own = form in (lemma_any if derivational else noun_or_verb)
        own = own or (derivational and form in entries)
        # modest, honest: adjectives of their own, not mod+est, hon+est.
        own = own or (form in lemmas["a"] and 3 * counts.get(form, 0) >= counts.get(base, 0) and counts.get(form, 0) > 0)
        return own and (base, form) not in linked

    # The family cap counts WordNet lemmas, not inflected forms.
    def lemma_of(w):
        """WordNet's reading of an inflected form (morphy): the most frequent
        lemma that a detachment rule gives, or None."""
        candidates = []
        for pos in ("n", "v", "a"):
            for suffix, base in detach(w, pos):
                if base in lemmas[pos] and base != w:
                    plural = pos == "n" or suffix in ("s", "es", "ies")
                    if plural or not blocked(base, w, False):
                        candidates.append(base)
        return max(candidates, key=lambda b: (counts.get(b, 0), len(b)), default=None)

    # A form several entries generate (carer: car+er, care+r) belongs to
    # the most frequent of them only.
    makers = defaultdict(list)
    for base, forms in us_entries:
        for form, _ in forms:
            makers[form].append(base)
    best_maker = {
        form: max(bases, key=lambda b: (counts.get(b, 0), b in lemma_any, -len(b)))
        for form, bases in makers.items()
    }

    fam = Families()
    for base, forms in us_entries:
        fam.add(base, base in lemma_any)
        for form, flag in forms:
            if guard and best_maker[form] != base:
                fam.add(form, form in lemma_any)
                continue
            fam.add(form, form in lemma_any)
            derivational = flag not in INFLECTIONAL
            if derivational and not derive_affix:
                continue
            # hunspell's rules over-generate (hop -> hoping, list -> listens,
            # even -> evenings): a form that WordNet reads as another lemma's
            # belongs to that lemma.
            reading = lemma_of(form) if guard else None
            if reading not in (None, base):
                continue
            if not blocked(base, form, derivational):
                fam.union(base, form)
    for pos in lemmas:
        for w in lemmas[pos]:
            if WORD.match(w):
                fam.add(w)
    if exc:
        for pos, form, lemma in exceptions:
            # A form that is a lemma of its own is joined only when WordNet's
            # sense counts say it is read as the inflection far more often
            # (men, felt, better: yes; found, lay, saw: no).
            if form in lemmas[pos] and 3 * counts.get(form, 0) >= counts.get(lemma, 0):
                continue
            fam.union(lemma, form)
    if morphy:
        for w in list(fam.parent):
            reading = lemma_of(w)
            if reading:
                fam.union(reading, w)
    if links:
        for a, b in wn_links:
            need = max(min_prefix, min(len(a), len(b)) - slack)
            if (a, b) not in linked:
                continue
            if common_prefix(a, b) >= need:
                fam.union(a, b, cap)
    if derive:
        # A derived word joins its base when it is no WordNet lemma of its
        # own, or WordNet links the two, or its definition names the base
        # (freedom: "the condition of being free"; not university/universe).
        # An adjective in -ful made of a noun (careful, peaceful) is that
        # noun's. The definition may name another word of the base's family
        # (democratization: "making something democratic").
        def names_family(w, b):
            root = fam.find(b)
            rare_ok = max_rank is None or not agentive(w, b)
            return any(
                g in fam.parent and fam.find(g) == root
                for r, gloss in glosses.get(w, ())
                if rare_ok or r <= max_rank
                for g in gloss
            )

        for w in list(fam.parent):
            for suffix, endings in DERIVE:
                stem = w[: len(w) - len(suffix)]
                if not w.endswith(suffix) or len(stem) < 3:
                    continue
                # occurrence -> occur, admittance -> admit
                undoubled = [stem[:-1]] if len(stem) > 3 and stem[-1] == stem[-2] else []
                for b in [stem + e for e in endings] + undoubled:
                    if b == w or b not in lemma_any:
                        continue
                    ful = suffix in ("ful", "iful") and w in lemmas["a"] and b in lemmas["n"]
                    if w not in lemma_any or ful or (b, w) in linked or names_family(w, b):
                        fam.union(b, w, cap)
    if british:
        us_known = {w for base, forms in us_entries for w in [base] + [f for f, _ in forms]}
        for base, forms in gb_entries:
            for w in [base] + [f for f, _ in forms]:
                if w in us_known:
                    continue
                for r in rewrites(w):
                    if r in us_known:
                        fam.union(r, w)
                        break
                else:
                    for r in rewrites(w):
                        hit = next((r2 for r2 in rewrites(r) if r2 in us_known), None)
                        if hit:
                            fam.union(hit, w)
                            break
    return fam


def load():
    return read_dic("en_US"), read_dic("en_GB"), read_wordnet()


def measure(fam):
    head = {}
    for g in fam.groups():
        for w in g:
            head[w] = g[0]
    term = lambda w: head.get(w, w)

    def rows(path):
        for line in open(path, encoding="utf-8"):
            line = line.split("#")[0].rstrip()
            if line:
                yield line.split("\t")

    gold = list(rows("tests/data/en-gold.tsv"))
    ok = sum(term(r[0]) == term(r[1]) for r in gold)
    pairs = list(rows("tests/data/en-no-collide.tsv"))
    coll = [r for r in pairs if term(r[0]) == term(r[1])]
    sizes = sorted((len(g) for g in fam.groups()), reverse=True)
    return f"conflation {ok}/{len(gold)} = {100*ok/len(gold):.1f}%, collisions {len(coll)}/{len(pairs)} = {100*len(coll)/len(pairs):.1f}% {[' '.join(c) for c in coll]}; largest families {sizes[:3]}"


def main():
    data = load()
    if "--measure" in sys.argv:
        runs = [
            ("hunspell inflections", dict(derive_affix=False, exc=False, morphy=False, links=False, british=False, derive=False)),
            ("hunspell inflections + derivations", dict(exc=False, morphy=False, links=False, british=False, derive=False)),
            ("  same, without the own-word guard", dict(exc=False, morphy=False, links=False, british=False, guard=False, derive=False)),
            ("+ WordNet exceptions", dict(morphy=False, links=False, british=False, derive=False)),
            ("+ WordNet detachment rules (morphy)", dict(links=False, british=False, derive=False)),
            ("+ British spellings", dict(links=False, derive=False)),
            ("+ derivational suffixes, base named by the definition", dict(links=False)),
            ("+ all WordNet derivational links, no prefix rule, no cap", dict(min_prefix=0, slack=99, cap=None)),
        ]
        for mp, sl, cap in [(3, 1, 12), (3, 2, 12), (3, 3, 12), (4, 2, 12), (3, 2, 6), (3, 2, 25), (3, 2, None)]:
            runs.append((f"+ WordNet links, prefix >= max({mp}, shorter - {sl}), cap {cap}", dict(min_prefix=mp, slack=sl, cap=cap, max_rank=None)))
        for r in (0, 1, 2):
            runs.append((f"  same (3, 2, 12), the longer word's linked sense among its {r + 1} most frequent", dict(max_rank=r)))
        for name, kw in runs:
            print(f"{name}: {measure(build(data=data, **kw))}", flush=True)
        return
    fam = build(data=data)
    american = {w for base, forms in data[0] for w in [base] + [f for f, _ in forms]}
    groups = sorted(fam.groups(american), key=lambda g: g[0])
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# English word families for kutip's analyzer: head, then the other members.\n")
        f.write("# Generated by scripts/extract-en-lexicon.py from hunspell-en-us, hunspell-en-gb and\n")
        f.write("# WordNet 3.0 (licences: data/en-families.LICENSE). Do not edit by hand.\n")
        for g in groups:
            f.write(" ".join(g) + "\n")


if __name__ == "__main__":
    main()
