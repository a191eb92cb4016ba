#!/usr/bin/env python3
"""Copy an AWS service model without its documentation strings: strip-model.py SRC DST."""
import json
import sys


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("documentation", "documentationUrl")}
    if isinstance(node, list):
        return [strip(x) for x in node]
    return node


with open(sys.argv[1]) as src:
    model = json.load(src)
with open(sys.argv[2], "w") as dst:
    json.dump(strip(model), dst, indent=1)
