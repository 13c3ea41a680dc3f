"""The cryptographic check of a PDF's digital signatures, by pyHanko, without network.

For each signature: its CMS container read from the bytes /ByteRange leaves out, the signer's
certificate found in it, the digest of the signed bytes compared with the signed one (`intact`) and
the signature over the signed attributes checked with the certificate's key (`valid`), by pyHanko's
`validate_sig_integrity`. Trust in the certificate's chain is not checked (it needs the issuers'
certificates and revocation data: network). The signatures of an e-office file each sign almost the
whole file, one revision longer than the last: their digests share one pass over the file (a hash
state copied at each signature's /Contents), so five signatures cost one reading of the file, not
five. pyHanko is imported on the first signed file (≈ 0.3 s; a batch imports it before forking).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from directives.schemas import Signature


@cache
def crypto():
    """asn1crypto's CMS and pyHanko's CMS helpers, imported once."""
    from asn1crypto import cms
    from pyhanko.sign.general import extract_certificate_info, extract_signer_info
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    return cms, extract_signer_info, extract_certificate_info, validate_sig_integrity


def _hasher(algorithm: str):
    return hashlib.new(algorithm.replace("_", "-") if algorithm.startswith("sha3") else algorithm)


@dataclass
class _Parsed:
    sig: Signature
    signer_info: object
    cert: object
    algorithm: str
    encapsulated: Any | None  # asn1crypto's ContentInfo: the encapsulated content info when the signed content is carried inside


def contents_der(data: bytes, br: list[int]) -> bytes:
    """The DER bytes of /Contents, the hex string /ByteRange leaves out."""
    if len(br) != 4 or br[0] != 0 or min(br) < 0 or br[1] > br[2] or br[2] + br[3] > len(data):
        raise ValueError(f"/ByteRange {br} does not fit the file ({len(data)} bytes)")
    contents = data[br[1]:br[2]].strip()
    if not (contents.startswith(b"<") and contents.endswith(b">")):
        raise ValueError("/Contents is not where /ByteRange leaves room for it")
    hexed = b"".join(contents[1:-1].split())
    return bytes.fromhex((hexed + b"0" * (len(hexed) % 2)).decode("ascii"))


def parse_signature(sig: Signature, data: bytes) -> _Parsed:
    """`sig`'s CMS container and signer's certificate; fills the certificate's subject and issuer and
    the file coverage."""
    cms, extract_signer_info, extract_certificate_info, _ = crypto()
    br = sig.byte_range
    sig.covers_whole_file = len(br) == 4 and br[2] + br[3] == len(data)
    sig.modified_after_signing = not sig.covers_whole_file
    info = cms.ContentInfo.load(contents_der(data, br))  # the zeros padding /Contents are left unread
    if info["content_type"].native != "signed_data":
        raise ValueError(f"/Contents holds {info['content_type'].native}, not CMS signed data")
    signed = info["content"]
    signer_info = extract_signer_info(signed)
    cert = extract_certificate_info(signed).signer_cert
    subject = cert.subject.native
    sig.certificate_subject = cert.subject.human_friendly
    sig.certificate_issuer = cert.issuer.human_friendly
    sig.signer = subject.get("common_name") or sig.signer
    sig.organization = subject.get("organization_name") or sig.organization
    sig.email = subject.get("email_address") or sig.email
    content = signed["encap_content_info"]
    carried = (sig.subfilter or "").endswith("pkcs7.sha1") or content["content_type"].native != "data"
    return _Parsed(sig, signer_info, cert, signer_info["digest_algorithm"]["algorithm"].native,
                   content if carried else None)


def range_digests(items: list[tuple[str, list[int]]], data: bytes) -> list[bytes]:
    """The digest (by its algorithm) of each byte range's two stretches, in one pass over the file per
    algorithm: the ranges sorted by where their /Contents starts, the state of the hash of the file's
    beginning copied at each."""
    view = memoryview(data)
    out: list[bytes] = [b""] * len(items)
    for algorithm in {a for a, _ in items}:
        running, pos = _hasher(algorithm), 0
        for i in sorted((i for i, (a, _) in enumerate(items) if a == algorithm), key=lambda i: items[i][1][1]):
            br = items[i][1]
            running.update(view[pos:br[1]])
            pos = br[1]
            h = running.copy()
            h.update(view[br[2]:br[2] + br[3]])
            out[i] = h.digest()
    return out


def _check_carried(p: _Parsed, content: Any, data: bytes) -> tuple[bool, bool]:
    """A signature whose signed content is inside the container: a SHA-1 of the ranges
    (adbe.pkcs7.sha1), or a time-stamp token's imprint of them (ETSI.RFC3161)."""
    validate_sig_integrity = crypto()[3]
    br = p.sig.byte_range
    ranges = bytes(data[:br[1]]) + bytes(data[br[2]:br[2] + br[3]])
    if content["content_type"].native == "tst_info":
        imprint = content["content"].parsed["message_imprint"]
        h = _hasher(imprint["hash_algorithm"]["algorithm"].native)
        h.update(ranges)
        range_ok, inner = imprint["hashed_message"].native == h.digest(), content["content"].contents
    else:
        inner = content["content"].native
        range_ok = inner == hashlib.sha1(ranges).digest()
    h = _hasher(p.algorithm)
    h.update(inner)
    intact, valid = validate_sig_integrity(p.signer_info, p.cert, content["content_type"].native, h.digest())
    return intact and range_ok, valid


def check_signatures(signatures: list[Signature], data: bytes) -> None:
    """Fill, in place, what the file says of each signature (`parse_signature`), whether it is intact
    and valid, an error in its `error`; then, for one with bytes added after it, whether a later
    signature that holds covers the whole file (the e-office system's own later stamps are the
    changes)."""
    validate_sig_integrity = crypto()[3]
    parsed: list[_Parsed] = []
    for sig in signatures:
        if sig.error:
            continue
        try:
            parsed.append(parse_signature(sig, data))
        except Exception as exc:  # a damaged or unusual signature must not stop the file
            sig.error = f"{type(exc).__name__}: {exc}"[:300]
    detached = [p for p in parsed if p.encapsulated is None]
    try:
        digests = range_digests([(p.algorithm, p.sig.byte_range) for p in detached], data)
    except ValueError as exc:  # a digest algorithm hashlib does not know
        digests = []
        for p in detached:
            p.sig.error = f"ValueError: {exc}"
    for p, digest in zip(detached, digests, strict=False):
        try:
            intact, valid = validate_sig_integrity(p.signer_info, p.cert, "data", digest)
            p.sig.intact, p.sig.valid = bool(intact), bool(valid)
        except Exception as exc:
            p.sig.error = f"{type(exc).__name__}: {exc}"[:300]
    for p in parsed:
        if p.encapsulated is not None:
            try:
                intact, valid = _check_carried(p, p.encapsulated, data)
                p.sig.intact, p.sig.valid = bool(intact), bool(valid)
            except Exception as exc:
                p.sig.error = f"{type(exc).__name__}: {exc}"[:300]
    for sig in signatures:
        if sig.intact is False:
            sig.modified_after_signing = True
    whole = any(s.covers_whole_file and s.intact and s.valid for s in signatures)
    for sig in signatures:
        if sig.modified_after_signing and sig.intact:
            sig.later_changes_signed = whole
