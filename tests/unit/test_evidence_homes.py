"""One way to decode evidence (§7.4, decision 151): every QImage made from bytes goes through
`report/image_guard.guarded_image`, which refuses an image whose header claims more than 40 megapixels first.
A new decode elsewhere (`QImage.fromData`, `loadFromData`, a `QImageReader`) would skip that check."""
from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "mediator_app"
DECODERS = re.compile(r"fromData\(|loadFromData\(|QImageReader\(")
#: the guard itself, and the plugin warm-up that decodes one byte no format reads
ALLOWED = {("report/image_guard.py", "image = QImage.fromData(data)"),
           ("ui/evidence_images.py", 'QImage.fromData(b"\\0")')}


def test_only_the_guard_decodes_evidence() -> None:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            code = line.split("#")[0]
            if DECODERS.search(code) and not code.strip().startswith(("\"", "`")):
                found.add((str(path.relative_to(PACKAGE)), code.strip()))
    assert found == ALLOWED
