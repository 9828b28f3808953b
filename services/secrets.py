"""Encryption at rest for pincodes and LVS keys (AES-256-GCM), and the key's origin."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.db import sqlite_file

log = logging.getLogger(__name__)

VERSION = b"\x01"


class SecretKeyError(Exception):
    """No usable secret key: start-up must stop rather than store secrets unprotected."""


class SecretBox:
    """Encrypts short secrets; `context` binds a ciphertext to its row ('pincode:42'), so a
    ciphertext copied to another row does not decrypt."""

    def __init__(self, key: bytes, previous: tuple[bytes, ...] = ()) -> None:
        if len(key) != 32 or any(len(k) != 32 for k in previous):
            raise SecretKeyError("de geheime sleutel moet 32 bytes zijn")
        self._key = key
        self._aead = AESGCM(key)
        # During a key rotation the previous key still reads what it wrote (no downtime).
        self._previous = tuple(AESGCM(k) for k in previous)

    def derive_key(self, purpose: str) -> bytes:
        """A separate 32-byte key for another use (e.g. signing download links), so the
        encryption key itself is never used for anything else."""
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=b"beheerbot:" + purpose.encode())
        return hkdf.derive(self._key)

    def encrypt(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(12)
        return VERSION + nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def decrypt(self, blob: bytes, context: str) -> str:
        if not blob or blob[:1] != VERSION:
            raise ValueError("unknown ciphertext format")
        for aead in (self._aead, *self._previous):
            try:
                return aead.decrypt(blob[1:13], blob[13:], context.encode()).decode()
            except InvalidTag:
                continue
        raise ValueError("ciphertext does not match its key or context")

    def reencrypt(self, blob: bytes, context: str) -> bytes | None:
        """The ciphertext under the current key, or None when it already is (rotation)."""
        try:
            self._aead.decrypt(blob[1:13], blob[13:], context.encode())
            return None
        except InvalidTag:
            return self.encrypt(self.decrypt(blob, context), context)

    def with_previous(self, previous: SecretBox) -> SecretBox:
        """This box, also reading what `previous` wrote."""
        return SecretBox(self._key, (previous._key,))

    @classmethod
    def from_text(cls, text: str) -> SecretBox:
        """A key given as urlsafe base64 of 32 bytes, or else any passphrase of 16+ characters."""
        text = text.strip()
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            if len(raw) == 32:
                return cls(raw)
        except ValueError:
            pass
        if len(text) < 16:
            raise SecretKeyError("BEHEERBOT_SECRET_KEY is te kort (minstens 16 tekens)")
        return cls(hashlib.sha256(b"beheerbot-secret-key:" + text.encode()).digest())


def sqlite_path(database_url: str) -> Path | None:
    """The file of a SQLite URL, or None for any other database."""
    return sqlite_file(database_url)


def load_secret_box(secret_key: str | None, database_url: str, previous_key: str = ""
                    ) -> SecretBox:
    """The key from BEHEERBOT_SECRET_KEY (and, during a rotation, the previous one, which
    still reads); for a local SQLite database a generated key in a 0600 file beside it (with a
    warning). PostgreSQL without a key is refused."""
    if secret_key:
        box = SecretBox.from_text(secret_key)
        return box.with_previous(SecretBox.from_text(previous_key)) if previous_key else box
    db_file = sqlite_path(database_url)
    if db_file is None:
        raise SecretKeyError("BEHEERBOT_SECRET_KEY is nodig voor deze database")
    key_file = db_file.with_name(db_file.name + ".key")
    if key_file.exists():
        return SecretBox.from_text(key_file.read_text())
    key_file.parent.mkdir(parents=True, exist_ok=True)
    text = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    log.warning("Geen BEHEERBOT_SECRET_KEY ingesteld: sleutel aangemaakt in %s (alleen voor "
                "lokaal gebruik; bewaar hem, zonder sleutel zijn pincodes onleesbaar).", key_file)
    return SecretBox.from_text(text)
