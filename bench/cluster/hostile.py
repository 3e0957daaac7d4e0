"""Replays EndToEnd.Tests/Hostile/corpus.jsonl against a running backend and MCP server, as load under a limit
(bench/limits.sh): the test suite checks each answer (Hostile/HostileInputTests); this only sends the requests, with
the placeholders and repeat macros expanded as the tests expand them, and counts the answers by status class.
Tokens other than the account's own (forged, expired, wrong audience...) are sent as a garbled bearer: all are refused.
usage: hostile.py CORPUS BACKEND_URL MCP_URL ACCOUNTS_FILE ROUNDS   (prints "HOSTILE_RESULT 2xx 4xx 503 other-5xx errors")
"""
import base64
import http.client
import json
import re
import sys
import uuid
from urllib.parse import urlsplit

corpus, backend, mcp, accounts_file, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
(me, token, mcp_token), (victim, _, _) = [line.split()[:3] for line in open(accounts_file).read().splitlines()[:2]]
repeat = re.compile("⟦repeat:([0-9]+):([^⟧]*)⟧")


def expand(text):
    for key, value in {"{me_upper}": me.upper(), "{me_n}": uuid.UUID(me).hex, "{me}": me, "{victim_upper}": victim.upper(),
                       "{victim}": victim, "{my_task}": "1", "{victim_task}": "2"}.items():
        text = text.replace(key, value)
    return text


counts = {"2xx": 0, "4xx": 0, "503": 0, "5xx": 0, "errors": 0}
cases = [json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()]
for _ in range(rounds):
    for case in cases:
        base = urlsplit(mcp if case["target"] == "mcp" else backend)
        headers = {}
        if case.get("content_type"):
            headers["Content-Type"] = case["content_type"]
        elif case.get("body") is not None or case.get("body_base64") is not None:
            headers["Content-Type"] = "application/json"
        if case["target"] == "mcp":
            headers["Accept"] = "application/json, text/event-stream"
        if case["token"] in ("mine", "mcp_mine"):
            headers["Authorization"] = "Bearer " + (mcp_token if case["token"] == "mcp_mine" or case["target"] == "mcp" else token)
        elif case["token"] != "none":
            headers["Authorization"] = "Bearer " + token[:-8] + "AAAAAAAA"
        if case.get("body_base64") is not None:
            body = base64.b64decode(case["body_base64"])
        elif case.get("body") is not None:
            body = repeat.sub(lambda m: m.group(2) * int(m.group(1)), expand(case["body"])).encode("utf-8")
        else:
            body = None
        try:
            connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
            connection.request(case["method"], expand(case["path"]), body=body, headers=headers)
            status = connection.getresponse().status
            connection.close()
        except (OSError, http.client.HTTPException, UnicodeEncodeError):
            counts["errors"] += 1
            continue
        key = "2xx" if status < 300 else "4xx" if status < 500 else "503" if status == 503 else "5xx"
        counts[key] += 1
print("HOSTILE_RESULT %(2xx)d %(4xx)d %(503)d %(5xx)d %(errors)d" % counts)
