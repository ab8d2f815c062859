"""Verifies DKIM signatures with dkimpy, an independent implementation.

Usage: dkim_verify.py DNS_TXT_RECORD MESSAGE.eml...
Prints one line per message: "pass" or "fail".
The record is served for every DNS lookup, standing in for
<selector>._domainkey.<domain>.
"""
import sys

import dkim

record = sys.argv[1].encode()
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        message = f.read()
    ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
    print("pass" if ok else "fail")
