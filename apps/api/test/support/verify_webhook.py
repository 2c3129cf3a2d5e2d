#!/usr/bin/env python3
"""An independent Standard Webhooks verifier, written from the specification (not from the
`standardwebhooks` package): https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md

    signed content = "<webhook-id>.<webhook-timestamp>.<body>"
    key            = base64-decode(secret without its "whsec_" prefix)
    signature      = base64(HMAC-SHA256(key, signed content)), sent as "v1,<signature>"; several are
                     separated by spaces, and any one matching is enough.

Reads one JSON object on stdin: {"secret", "id", "timestamp", "signature", "body"}; prints "ok" and exits
0 when a signature matches (and the timestamp is within 5 minutes), else prints why and exits 1.
"""
import base64
import hashlib
import hmac
import json
import sys
import time

msg = json.load(sys.stdin)
secret = msg["secret"]
if secret.startswith("whsec_"):
    secret = secret[len("whsec_"):]
key = base64.b64decode(secret)
signed = f'{msg["id"]}.{msg["timestamp"]}.{msg["body"]}'.encode("utf-8")
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode("ascii")
if abs(time.time() - int(msg["timestamp"])) > 300:
    print("timestamp too old or too new")
    sys.exit(1)
for versioned in msg["signature"].split(" "):
    version, _, sig = versioned.partition(",")
    if version == "v1" and hmac.compare_digest(sig, expected):
        print("ok")
        sys.exit(0)
print("no matching signature")
sys.exit(1)
