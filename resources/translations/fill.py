"""Fill the unfinished entries of a Qt Linguist .ts from a table of translations made ahead (a TSV).

    python resources/translations/fill.py resources/translations/mediator_zh_CN.ts resources/translations/zh_CN_pending.tsv

Each TSV line is `context<TAB>source<TAB>translation` (an empty context matches any; `\\n` and `\\t` escaped).
The context is the `.ts` context or the disambiguation a bare `tr(text, "Group")` gets. Only entries lupdate
marked unfinished are filled; finished ones are left as they are. Prints what stays unfinished.
"""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def load(path: str) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            context, source, translation = (part.replace("\\n", "\n").replace("\\t", "\t")
                                            for part in line.rstrip("\n").split("\t"))
            table[(context, source)] = translation
    return table


def fill(ts_path: str, table: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    tree = ET.parse(ts_path)
    left: list[tuple[str, str]] = []
    for context in tree.getroot():
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            source = message.findtext("source") or ""
            group = message.findtext("comment") or ""
            found = table.get((name, source)) or table.get((group, source)) or table.get(("", source))
            if found is None:
                left.append((name or group, source))
                continue
            translation.text = found
            del translation.attrib["type"]
    ET.indent(tree)
    with open(ts_path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8")
    return left


if __name__ == "__main__":
    remaining = fill(sys.argv[1], load(sys.argv[2]))
    for context, source in remaining:
        print(f"unfinished: {context!r} {source!r}")
    print(f"{len(remaining)} unfinished")
