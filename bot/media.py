"""Keeping a photo or file a person sent: streamed to disk under MEDIA_DIR with the size cap enforced as
the bytes arrive, owner-only permissions, and a file extension taken from what the content is.

The sender's file name and the platform's content type are the sender's word: a `.html` or `.sh` name, or
`text/html` for a script, would be kept as such and opened by whoever looks at the case. What is stored
is decided by the first bytes (`sniff`) against an allow-list; anything else is kept as `.bin`
(application/octet-stream), which no viewer runs.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from store.files import PRIVATE_FILE, private_dir

SNIFF_BYTES = 64
UNKNOWN = (".bin", "application/octet-stream")

# ISO base-media brands (bytes 8–12 after "ftyp") and what they are.
FTYP_BRANDS = {
    b"M4A ": (".m4a", "audio/mp4"), b"M4B ": (".m4a", "audio/mp4"),
    b"qt  ": (".mov", "video/quicktime"),
    b"3gp4": (".3gp", "video/3gpp"), b"3gp5": (".3gp", "video/3gpp"), b"3gp6": (".3gp", "video/3gpp"),
    b"3g2a": (".3gp", "video/3gpp"),
    b"heic": (".heic", "image/heic"), b"heix": (".heic", "image/heic"), b"mif1": (".heic", "image/heic"),
}


def sniff(head: bytes) -> tuple[str, str]:
    """(extension, content type) of content starting with `head`, from the allow-list; else `.bin`."""
    if head.startswith(b"\xff\xd8\xff"):
        return ".jpg", "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return ".png", "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return ".gif", "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp", "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return ".wav", "audio/wav"
    if head.startswith(b"%PDF-"):
        return ".pdf", "application/pdf"
    if head[4:8] == b"ftyp":
        return FTYP_BRANDS.get(head[8:12], (".mp4", "video/mp4"))
    if head.startswith(b"OggS"):
        return ".ogg", "audio/ogg"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
                                    and head[1] & 0x06 != 0):  # MPEG audio frame (layer bits set)
        return ".mp3", "audio/mpeg"
    if head.startswith(b"#!AMR"):
        return ".amr", "audio/amr"
    return UNKNOWN


@dataclass(frozen=True, slots=True)
class Download:
    """A platform's content as it arrives: the size the platform declared (if any) and the bytes."""

    declared_size: int | None
    chunks: AsyncIterator[bytes]


class TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


@dataclass(frozen=True, slots=True)
class Stored:
    path: Path  # relative to the media directory
    size: int
    sha256: str
    content_type: str


async def store_stream(download: Download, *, media_dir: Path, folder: Path, limit: int) -> Stored:
    """Write the content to `media_dir/folder/<random><ext>` (0600), counting bytes as they arrive: past
    `limit` the download stops, the partial file is deleted and TooLarge says how far it got."""
    if download.declared_size is not None and download.declared_size > limit:
        raise TooLarge(download.declared_size)
    directory = media_dir / folder
    await asyncio.to_thread(private_dir, directory)
    name = uuid.uuid4().hex
    partial = directory / f"{name}.part"
    fd = await asyncio.to_thread(os.open, partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    digest = hashlib.sha256()
    size = 0
    head = b""
    done = False
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in download.chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge(size)
                if len(head) < SNIFF_BYTES:
                    head += chunk[:SNIFF_BYTES - len(head)]
                digest.update(chunk)
                await asyncio.to_thread(out.write, chunk)
        ext, content_type = sniff(head)
        final = directory / f"{name}{ext}"
        await asyncio.to_thread(os.replace, partial, final)
        done = True
    finally:
        if not done:
            partial.unlink(missing_ok=True)
    return Stored(folder / final.name, size, digest.hexdigest(), content_type)
