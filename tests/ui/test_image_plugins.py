"""Image plugins load on the GUI thread before a worker decodes evidence (a worker loading them could deadlock the
window: see evidence_view.load_image_plugins)."""
from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = r"""
import threading
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from mediator_app.ui.evidence_view import load_image_plugins

app = QApplication([])
image = QImage(4, 4, QImage.Format.Format_RGB32)
image.fill(QColor("red"))
data = QByteArray()
buffer = QBuffer(data)
buffer.open(QIODevice.OpenModeFlag.WriteOnly)
image.save(buffer, "PNG")  # Qt writes PNG itself: no plugin loaded yet
if sys.argv[1] == "warm":
    load_image_plugins()
print("--- worker decodes", flush=True)
decoded = []
worker = threading.Thread(target=lambda: decoded.append(QImage.fromData(bytes(data)).isNull()))
worker.start()
worker.join()
print("--- decoded", decoded, flush=True)
"""


def loads_in_worker(mode: str) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_DEBUG_PLUGINS": "1"}
    run = subprocess.run([sys.executable, "-c", "import sys\n" + SCRIPT, mode], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, timeout=60, check=True)  # one stream, in order
    lines = run.stdout.splitlines()
    assert "--- decoded [False]" in lines, lines[-5:]
    after = lines[lines.index("--- worker decodes"):]
    return [line for line in after if "imageformats" in line and line.rstrip().endswith("\" loaded library")]


def test_after_the_warm_up_a_worker_loads_no_image_plugin() -> None:
    assert loads_in_worker("cold"), "without the warm-up the worker loads the plugins (the test would prove nothing)"
    assert loads_in_worker("warm") == []
