#!/usr/bin/env python3
"""Generates the W1 parse/check corpora (Docs: /work/shared/design/BENCHMARKS.md).

    gen_corpus.py flow   OUT_DIR TEMPLATES_DIR --flows N --blocks B [--per-file K]
    gen_corpus.py python OUT_DIR               --flows N --blocks B [--per-file K]

Output is a pure function of the arguments (no randomness, no clock), so every
run and every machine checks the same bytes.

With --blocks 1 a flow is 13 lines: trigger, `only if` with a segment
predicate and a tag membership test, a goal (`exit when`), a wait, an
if / else if / else on member and trigger fields, and sends. Each further
block adds another wait and if / else if / else (8 lines), so --blocks 12
gives 101-line flows, the shape of the issue's "10,000 flows (about a
million lines)". Templates carry an unsubscribe link, so the corpus checks
clean (no errors, no warnings).

The Python corpus mirrors it function for function: an `if` with a
comparison and a membership test, a wait call, a send call with keyword
arguments, an `elif` on event kind and amount, a tag call, `else`/`return`.
"""
import argparse
import os

TEMPLATES = 10
SEGMENTS = 10
TAGS = ["news", "vip", "lapsed", "repeat", "gift"]
KINDS = ["order_placed", "email_opened", "email_clicked"]


def flow_text(i, blocks):
    seg = i % SEGMENTS
    tag = TAGS[i % len(TAGS)]
    lines = [
        f"flow f{i:06d} {{",
        "  trigger event order_placed",
        f'  only if seg{seg} and member.tags has "{tag}"',
        "  exit when event order_placed where event.order_id != trigger.order_id",
    ]
    for b in range(blocks):
        k = i * 7 + b
        spent = 50 + (k * 37) % 900
        orders = 1 + k % 5
        total = 10 + (k * 13) % 300
        wait = f"{1 + k % 14}d" if k % 3 else f"{1 + k % 48}h"
        lines += [
            f"  wait {wait}",
            f"  if member.total_spent > {spent} USD and member.order_count >= {orders} {{",
            f'    send a{b} {{ template "t{k % TEMPLATES}" subject "Hi {{{{ member.first_name | default: \'there\' }}}}" }}',
            f"  }} else if trigger.total >= {total} USD {{",
            f'    send b{b} {{ template "t{(k + 3) % TEMPLATES}" subject "Thanks for order {{{{ trigger.order_id }}}}" }}',
            "  } else {",
            f'    send d{b} {{ template "t{(k + 7) % TEMPLATES}" subject "Hello" }}',
            "  }",
        ]
    lines.append("}")
    return lines


def python_text(i, blocks):
    tag = TAGS[i % len(TAGS)]
    lines = [f"def f{i:06d}(member, event):"]
    for b in range(blocks):
        k = i * 7 + b
        spent = 50 + (k * 37) % 900
        total = 10 + (k * 13) % 300
        kind = KINDS[k % len(KINDS)]
        lines += [
            f'    if member.total_spent > {spent} and "{tag}" in member.tags:',
            f"        wait(days={1 + k % 14})",
            f'        send(member, template="t{k % TEMPLATES}", subject="Hi", step="a{b}")',
            f'    elif event.kind == "{kind}" and event.amount >= {total}:',
            f'        tag(member, "{tag}", step="b{b}")',
            "    else:",
            f'        send(member, template="t{(k + 7) % TEMPLATES}", subject="Hello", step="d{b}")',
        ]
    lines += ["    return None", ""]
    return lines


def declarations():
    lines = ["// Segments the generated flows filter on."]
    for s in range(SEGMENTS):
        lines.append(
            f"segment seg{s} = member.total_spent >= {100 + 50 * s} USD"
            f" and member.order_count >= {1 + s % 4}")
    return lines


def write(path, lines):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["flow", "python"])
    p.add_argument("out")
    p.add_argument("templates", nargs="?")
    p.add_argument("--flows", type=int, default=10000)
    p.add_argument("--blocks", type=int, default=1)
    p.add_argument("--per-file", type=int, default=100)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for start in range(0, a.flows, a.per_file):
        body = []
        for i in range(start, min(start + a.per_file, a.flows)):
            body += flow_text(i, a.blocks) if a.kind == "flow" else python_text(i, a.blocks)
        ext = "flow" if a.kind == "flow" else "py"
        write(os.path.join(a.out, f"part{start // a.per_file:05d}.{ext}"), body)
        total += len(body)
    if a.kind == "flow":
        decl = declarations()
        write(os.path.join(a.out, "segments.flow"), decl)
        total += len(decl)
        if not a.templates:
            p.error("flow corpus needs a TEMPLATES_DIR")
        os.makedirs(a.templates, exist_ok=True)
        for t in range(TEMPLATES):
            write(os.path.join(a.templates, f"t{t}.html.liquid"), [
                "<html><body>",
                f"<p>Hi {{{{ member.first_name | default: \"there\" }}}}, note {t}.</p>",
                "{% if member.total_spent > 500 %}<p>Thanks for being a VIP.</p>{% endif %}",
                '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
                "</body></html>",
            ])
    print(total)


if __name__ == "__main__":
    main()
