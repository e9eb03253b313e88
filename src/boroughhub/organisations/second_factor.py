"""The QR code an authenticator app scans, as inline SVG (no image service, no external request)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_code_svg(otpauth_url: str) -> str:
    image = qrcode.make(otpauth_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8")
