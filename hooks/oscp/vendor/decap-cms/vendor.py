"""Copy Decap CMS's browser bundle from node_modules/ into this folder (run after changing its
pin in package.json and package-lock.json):

    npm ci && python3 hooks/oscp/vendor/decap-cms/vendor.py

The build serves these files at /admin/ (oscp.cms), so `make build` needs neither npm nor the
network, and the admin page loads nothing from another origin. VENDOR.json records the
package's version, npm's integrity hash of the package (from package-lock.json) and the
SHA-256 of each file copied; tests/test_cms.py checks them against package-lock.json.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
PACKAGE = "decap-cms"
#: Decap's monorepo licence (the decap-cms package itself declares MIT but ships no LICENSE
#: file; every package of the same repository ships this one)
LICENCE_FROM = "decap-cms-lib-auth/LICENSE"


def bundle_files(dist: Path) -> list[Path]:
    """The decap-cms entry and everything it loads on demand: its chunks and WebAssembly."""
    names = ["decap-cms.js"] + sorted(p.name for p in dist.glob("*.decap-cms.js")) \
        + sorted(p.name for p in dist.glob("*.wasm"))
    return [dist / name for name in names]


def main() -> int:
    modules = ROOT / "node_modules"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = lock["packages"][f"node_modules/{PACKAGE}"]
    installed = json.loads((modules / PACKAGE / "package.json").read_text(encoding="utf-8"))
    if installed["version"] != pinned["version"]:
        sys.stderr.write(f"node_modules has {PACKAGE} {installed['version']}, package-lock.json pins "
                         f"{pinned['version']} (run npm ci first)\n")
        return 1
    for old in HERE.iterdir():
        if old.suffix in {".js", ".wasm"}:
            old.unlink()
    hashes = {}
    for source in bundle_files(modules / PACKAGE / "dist"):
        shutil.copyfile(source, HERE / source.name)
        hashes[source.name] = hashlib.sha256(source.read_bytes()).hexdigest()
    shutil.copyfile(modules / LICENCE_FROM, HERE / "LICENSE")
    record = {
        "package": PACKAGE,
        "version": pinned["version"],
        "integrity": pinned["integrity"],
        "license": installed["license"],
        "repository": installed["repository"]["url"],
        "copied_by": "hooks/oscp/vendor/decap-cms/vendor.py",
        "files": hashes,
    }
    (HERE / "VENDOR.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"copied {PACKAGE} {pinned['version']}: {len(hashes)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
