"""E-office signed documents made in the test: a letter with blank number and date, signed with pyHanko
and a self-signed test certificate; the signature appearances stamp the number and the day into the
blanks, or draw a signature box. No network."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pymupdf
from asn1crypto import keys, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers import pdf_signer
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
ICT = dt.timezone(dt.timedelta(hours=7))
SIGNED_AT = dt.datetime(2024, 11, 6, 8, 54, 21, tzinfo=ICT)

# the letter's lines (x, baseline y, size, text); the blanks of "Số:" and "ngày" are left for the stamps
LETTER = [
    (110, 86, 13, "ỦY BAN NHÂN DÂN"), (110, 100, 13, "TỈNH THỬ NGHIỆM"),
    (300, 86, 13, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), (330, 100, 13, "Độc lập - Tự do - Hạnh phúc"),
    (115, 130, 13, "Số:           /TB-UBND"), (290, 130, 13, "Thử Nghiệm, ngày        tháng 11 năm 2024"),
    (270, 172, 14, "THÔNG BÁO"), (150, 190, 14, "Về việc tham dự Hội nghị tổng kết năm 2024"),
    (100, 230, 14, "Ủy ban nhân dân tỉnh thông báo các sở, ngành tham dự Hội nghị tổng kết công"),
    (100, 248, 14, "tác năm 2024 vào lúc 08 giờ 00 phút, ngày 09/11/2024 tại Hội trường tỉnh."),
    (100, 300, 12, "Nơi nhận:"), (100, 314, 11, "- Như trên;"), (100, 328, 11, "- Lưu: VT."),
    (380, 300, 13, "TL. CHỦ TỊCH"), (370, 316, 13, "CHÁNH VĂN PHÒNG"), (380, 400, 14, "Nguyễn Văn Thử"),
]
NUMBER_BOX = (145, 116, 178, 134)  # over the blank of "Số:" (top-left origin, points)
DAY_BOX = (416, 116, 441, 134)  # over the blank after "ngày"
SIGNER_BOX = (340, 10, 560, 52)  # top right: the signature box
BOX_LINES = ("Ký bởi: Ủy ban nhân dân tỉnh Thử Nghiệm", "Cơ quan: Tỉnh Thử Nghiệm",
             "Thời gian ký: 06.11.2024 08:54:21 +07:00")


def certificate(common_name: str = "Ủy ban nhân dân tỉnh Thử Nghiệm", organization: str = "Tỉnh Thử Nghiệm"
                ) -> tuple[x509.Certificate, keys.PrivateKeyInfo]:
    """A self-signed test certificate (EC P-256), valid 2020–2040."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, common_name),
                       cx509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                       cx509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    cert = (cx509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(20241106).not_valid_before(dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=dt.UTC))
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), keys.PrivateKeyInfo.load(der_key)


def _page_pdf(path: Path, width: float, height: float, draw) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    draw(page)
    doc.save(path)
    doc.close()
    return path


def letter(path: Path, lines=LETTER) -> Path:
    """The letter as a born-digital PDF (A4, DejaVu Serif)."""
    def draw(page):
        for x, y, size, text in lines:
            page.insert_text((x, y), text, fontsize=size, fontname="dvs", fontfile=FONT)
    return _page_pdf(path, 595, 842, draw)


def scanned(path: Path, source: Path, dpi: int = 200) -> Path:
    """An image-only PDF of `source`'s first page (a scan)."""
    with pymupdf.open(source) as src:
        pix = src[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    return _page_pdf(path, 595, 842, lambda page: page.insert_image(page.rect, pixmap=pix))


def appearance(path: Path, box: tuple, lines: tuple[str, ...], size: float, image: bool = False) -> Path:
    """A one-page PDF the size of `box` showing `lines` (as text, or as an image of them): what a
    signature's appearance draws."""
    w, h = box[2] - box[0], box[3] - box[1]

    def draw(page):
        for k, text in enumerate(lines):
            page.insert_text((1, size + k * (size + 1)), text, fontsize=size, fontname="dvs", fontfile=FONT,
                             color=(0.8, 0, 0))
    _page_pdf(path, w, h, draw)
    if image:
        with pymupdf.open(path) as doc:
            pix = doc[0].get_pixmap(dpi=300)
        _page_pdf(path, w, h, lambda page: page.insert_image(page.rect, pixmap=pix))
    return path


@contextlib.contextmanager
def signing_time(when: dt.datetime):
    """pyHanko signs at `when` (it takes the time from `datetime.now`)."""
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return when  # as the signer's system in Việt Nam

    saved = pdf_signer.datetime
    pdf_signer.datetime = Frozen
    try:
        yield
    finally:
        pdf_signer.datetime = saved


def sign(path: Path, out: Path, name: str, box: tuple, look: Path | None, cert_key, reason: str | None = None,
         when: dt.datetime = SIGNED_AT) -> Path:
    """`path` signed (incrementally) into `out` with a field `name` over `box` (top-left origin), its
    appearance the page of `look` (None: invisible)."""
    cert, key = cert_key
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                  cert_registry=SimpleCertificateStore.from_certs([cert]))
    x0, y0, x1, y1 = box
    spec = fields.SigFieldSpec(name, on_page=0, box=(x0, 842 - y1, x1, 842 - y0) if look else None)
    style = None
    if look is not None:
        style = StaticStampStyle(background=content.ImportedPdfPage(str(look)), border_width=0,
                                 background_layout=layout.SimpleBoxLayoutRule(
                                     x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
                                     margins=layout.Margins.uniform(0)))
    meta = signers.PdfSignatureMetadata(field_name=name, reason=reason, location="Việt Nam")
    with path.open("rb") as inp, out.open("wb") as outp, signing_time(when):
        writer = IncrementalPdfFileWriter(inp, strict=False)
        signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=spec).sign_pdf(writer, output=outp)
    return out


def e_office_letter(tmp: Path, cert_key=None, image_number: bool = False) -> Path:
    """The letter signed as an e-office system signs it: the number stamped over "Số:", the day over
    "ngày", then the publisher's box at the top right (three signatures, one after the other)."""
    cert_key = cert_key or certificate()
    doc = letter(tmp / "letter.pdf")
    doc = sign(doc, tmp / "signed1.pdf", "Signature1", NUMBER_BOX,
               appearance(tmp / "number.pdf", NUMBER_BOX, ("542",), 13, image=image_number), cert_key)
    doc = sign(doc, tmp / "signed2.pdf", "Signature2", DAY_BOX,
               appearance(tmp / "day.pdf", DAY_BOX, ("06",), 13), cert_key)
    return sign(doc, tmp / "signed.pdf", "Signature3", SIGNER_BOX,
                appearance(tmp / "box.pdf", SIGNER_BOX, BOX_LINES, 8), cert_key,
                reason="Ủy ban nhân dân tỉnh Thử Nghiệm đã ký lên văn bản này!")
