"""W6 baseline: python-liquid renders the reference template for N members.

Usage: render_baseline.py TEMPLATE N OUT. Writes every render to OUT (each
followed by a NUL byte) and prints "renders_per_second" on stdout; only the
render loop is timed.
"""
import sys
import time

import liquid

FIRST_NAMES = ["alice", "bob", "", "dora", "erik"]
PRODUCTS = [
    {"slug": f"prod-{k}", "title": f"Product <{k}> & co", "price": 19.99 + k} for k in range(1, 6)
]
OFFER = {"discount": 15, "code": "spring24"}


def member(i):
    return {
        "id": i,
        "first_name": FIRST_NAMES[i % 5],
        "total_spent": (i * 37) % 1000,
        "last_order_at": "2024-03-%02d" % (1 + i % 28),
        "token": "tok%08x" % i,
    }


def main():
    source = open(sys.argv[1], encoding="utf-8").read()
    count = int(sys.argv[2])
    template = liquid.Environment().from_string(source)
    outputs = []
    start = time.perf_counter()
    for i in range(count):
        outputs.append(template.render(member=member(i), offer=OFFER, products=PRODUCTS))
    elapsed = time.perf_counter() - start
    with open(sys.argv[3], "wb") as out:
        for text in outputs:
            out.write(text.encode("utf-8") + b"\0")
    print(f"{count / elapsed:.0f}")


main()
