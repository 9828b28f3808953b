"""The Teams app package: appmanifest/manifest.json with the real ids filled in, plus icons."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent / "appmanifest"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-zA-Z0-9-]{1,63}\.)+[a-zA-Z]{2,63}$")


class ManifestError(ValueError):
    pass


def build_manifest(app_id: str, domain: str, source: Path = APP_DIR) -> dict:
    """The manifest with the bot's app id and public domain put in place of the placeholders."""
    if not GUID.match(app_id or ""):
        raise ManifestError(f"app id moet een GUID zijn, niet {app_id!r}")
    if not DOMAIN.match(domain or ""):
        raise ManifestError(f"domein moet een hostnaam zijn zoals bot.example.nl, niet {domain!r}")
    text = (source / "manifest.json").read_text(encoding="utf-8")
    text = text.replace("{{APP_ID}}", app_id).replace("{{BOT_DOMAIN}}", domain)
    return json.loads(text)


def write_package(out: Path, app_id: str, domain: str, source: Path = APP_DIR) -> Path:
    manifest = build_manifest(app_id, domain, source)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for icon in (manifest["icons"]["color"], manifest["icons"]["outline"]):
            package.write(source / icon, icon)
    return out
