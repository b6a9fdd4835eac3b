#!/usr/bin/env python3
"""tantivy-py given the indexing job kutip does: the reference point that tells
kutip's own overhead from the cost of the job itself.

  python tantivy_same_job.py --corpus C/corpus.jsonl --index-dir DIR

`../shared/bench/bench_tantivy.py` indexes each passage once, in one stemmed
field. kutip indexes each passage twice with positions: unstemmed in `text`
(for phrases and quotations) and stemmed in its language's field; the title is
indexed unstemmed. This script gives tantivy-py that layout with its own
analyzers: `text` and `title` with the `default` tokenizer (lower case),
`body` with `en_stem` for every passage (tantivy-py has no Indonesian stemmer;
kutip also leaves English stopwords out of the stemmed field, so this body has
somewhat more tokens than kutip's). Same writer defaults, JSON loading and
one line of JSON out as bench_tantivy.py, so the two are read alike.
"""
import argparse, json, os, shutil, time
import tantivy


def schema():
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("doc", stored=True, tokenizer_name="raw")
    sb.add_text_field("lang", stored=True, tokenizer_name="raw")
    sb.add_integer_field("page", stored=True, indexed=True, fast=True)
    sb.add_integer_field("para", stored=True)
    sb.add_text_field("title", stored=True, tokenizer_name="default", index_option="position")
    sb.add_text_field("text", stored=True, tokenizer_name="default", index_option="position")
    sb.add_text_field("body", stored=False, tokenizer_name="en_stem", index_option="position")
    return sb.build()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--index-dir", required=True)
    a = ap.parse_args()
    t0 = time.perf_counter()
    recs = [json.loads(l) for l in open(a.corpus, encoding="utf-8")]
    t_load = time.perf_counter() - t0
    shutil.rmtree(a.index_dir, ignore_errors=True)
    os.makedirs(a.index_dir)
    t1 = time.perf_counter()
    index = tantivy.Index(schema(), path=a.index_dir)
    w = index.writer()
    for r in recs:
        w.add_document(tantivy.Document(id=r["id"], doc=r["doc"], lang=r["lang"], page=r["page"], para=r["para"],
                                        title=r["title"], text=r["text"], body=r["text"]))
    w.commit()
    w.wait_merging_threads()
    t_idx = time.perf_counter() - t1
    print(json.dumps({"tool": "tantivy-py", "op": "index", "layout": "kutip's fields", "docs": len(recs),
                      "load_s": t_load, "index_s": t_idx}))


if __name__ == "__main__":
    main()
