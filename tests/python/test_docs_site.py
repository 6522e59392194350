"""`dbt docs generate` runs on the demo warehouse, and the static docs site shows a mart's page in headless
Chromium: its description, its columns with their types and descriptions, and a screenshot that is not blank."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import run_dbt

CHROMIUM = shutil.which("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=15000"]


def _png_colours(path: Path) -> int:
    """Distinct pixel values of an 8-bit RGB(A) PNG (no filter decoding needed to tell blank from drawn: a
    blank page compresses to one repeated scanline)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width = struct.unpack(">I", chunk[:4])[0]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    return len({raw[i:i + 3] for i in range(1, min(len(raw), width * 4 * 400), 3)})


@pytest.fixture(scope="module")
def docs_site(demo_warehouse, tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("docs")
    result = run_dbt(["docs", "generate", "--static"], demo_warehouse["raw"], demo_warehouse["db"], work)
    assert result.success, result.exception
    site = work / "target" / "static_index.html"
    assert site.stat().st_size > 1_000_000  # the manifest and catalog are inlined
    return site


def test_the_docs_site_shows_a_mart_with_its_contract(docs_site, tmp_path):
    assert CHROMIUM, "chromium is missing: scripts/ensure-chromium.sh (run by `make test`) installs it"
    url = f"file://{docs_site}#!/model/model.renewal_warehouse.retention"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile-dom'}", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120).stdout
    # what the page drew, without the inlined manifest and catalog
    shown = re.sub(r"<script.*?</script>", "", dom, flags=re.S)
    assert "Retention by period and segment" in shown
    for text in ("net_revenue_retention_rate", "is_rollup", "DECIMAL(18,6)", "the whole book"):
        assert text in shown, text
    shot = tmp_path / "retention.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile-shot'}", "--window-size=1400,1000",
                    f"--screenshot={shot}", url], capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    assert _png_colours(shot) > 50
