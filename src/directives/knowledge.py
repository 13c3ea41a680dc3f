"""Vietnamese administrative-document knowledge, kept as data tables.

Stages read these tables; they never spell these words in their own regexes. Everything here is
what all directives share (Decree 30/2020/NĐ-CP and the Party / Youth Union / trade-union
variants), never a particular document's strings.
"""

from __future__ import annotations

import unicodedata

# Document type name (as printed in a title, upper case) → canonical type.
TYPE_NAMES: dict[str, str] = {
    "CÔNG VĂN": "Công văn",
    "KẾ HOẠCH": "Kế hoạch",
    "QUYẾT ĐỊNH": "Quyết định",
    "CHỈ THỊ": "Chỉ thị",
    "THÔNG BÁO": "Thông báo",
    "BÁO CÁO": "Báo cáo",
    "HƯỚNG DẪN": "Hướng dẫn",
    "TỜ TRÌNH": "Tờ trình",
    "GIẤY MỜI": "Giấy mời",
    "NGHỊ QUYẾT": "Nghị quyết",
    "QUY ĐỊNH": "Quy định",
    "QUY CHẾ": "Quy chế",
    "CHƯƠNG TRÌNH": "Chương trình",
    "ĐỊNH HƯỚNG": "Định hướng",
    "PHỤ LỤC": "Phụ lục",
    "ĐỀ ÁN": "Đề án",
    "DỰ ÁN": "Dự án",
    "PHƯƠNG ÁN": "Phương án",
    "KẾT LUẬN": "Kết luận",
    "THÔNG TRI": "Thông tri",
    "CÔNG ĐIỆN": "Công điện",
    "BIÊN BẢN": "Biên bản",
    "GIẤY GIỚI THIỆU": "Giấy giới thiệu",
    "GIẤY ỦY QUYỀN": "Giấy ủy quyền",
    "GIẤY UỶ QUYỀN": "Giấy ủy quyền",
    "THÔNG CÁO": "Thông cáo",
    "LỊCH CÔNG TÁC": "Lịch công tác",
    "DANH SÁCH": "Danh sách",
    "NGHỊ ĐỊNH": "Nghị định",
    "THÔNG TƯ": "Thông tư",
    "LUẬT": "Luật",
}

# Symbol code (the letters before the issuer's code: KH in 239/KH-SYT, CV in 347-CV/TĐTN-VP).
TYPE_CODES: dict[str, str] = {
    "CV": "Công văn",
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "TTr": "Tờ trình",
    "TTR": "Tờ trình",
    "GM": "Giấy mời",
    "NQ": "Nghị quyết",
    "QyĐ": "Quy định",
    "QC": "Quy chế",
    "CTr": "Chương trình",
    "CTR": "Chương trình",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "KL": "Kết luận",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "BB": "Biên bản",
    "CĐ": "Công điện",
    "GGT": "Giấy giới thiệu",
    "GUQ": "Giấy ủy quyền",
    "DS": "Danh sách",
    "ĐH": "Định hướng",
    "HĐ": "Hợp đồng",
}

# Regime headers (national motto line above the issuer's right column), upper case, NFC.
REGIME_HEADERS: tuple[str, ...] = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ĐOÀN TNCS HỒ CHÍ MINH",
    "ĐOÀN THANH NIÊN CỘNG SẢN HỒ CHÍ MINH",
    "ĐẢNG CỘNG SẢN VIỆT NAM",
    "HỘI LIÊN HIỆP THANH NIÊN VIỆT NAM",
    "ĐỘI THIẾU NIÊN TIỀN PHONG HỒ CHÍ MINH",
)

# Mottos printed under a regime header; never an issuer.
MOTTOS: tuple[str, ...] = (
    "ĐỘC LẬP - TỰ DO - HẠNH PHÚC",
    "ĐỘC LẬP – TỰ DO – HẠNH PHÚC",
)

# Signer authority words (Decree 30/2020 art. on signing), as printed → canonical.
AUTHORITIES: dict[str, str] = {
    "TM.": "TM.",
    "KT.": "KT.",
    "TL.": "TL.",
    "TUQ.": "TUQ.",
    "Q.": "Q.",
    "TM": "TM.",
    "KT": "KT.",
    "TL": "TL.",
    "TUQ": "TUQ.",
}

# Urgency and confidentiality marks.
MARKS: tuple[str, ...] = ("HỎA TỐC", "HOẢ TỐC", "THƯỢNG KHẨN", "KHẨN", "TỐI MẬT", "TUYỆT MẬT", "MẬT")

# Words that open the closing's distribution list and the recipients.
DISTRIBUTION_LABELS: tuple[str, ...] = ("Nơi nhận",)
RECIPIENT_LABELS: tuple[str, ...] = ("Kính gửi",)

# Words that mark a table header row as an activity plan (a one-word label only as the whole name).
ACTIVITY_NAME_HEADERS: tuple[str, ...] = (
    "tên hoạt động", "nội dung", "công việc", "hoạt động", "nội dung công việc", "tên chương trình", "nhiệm vụ",
    "tên công việc", "tên nhiệm vụ", "việc",
)
ACTIVITY_TIME_HEADERS: tuple[str, ...] = (
    "thời gian", "thời điểm", "tiến độ", "thời hạn", "ngày", "ngày tháng", "lịch",
)
ROW_NUMBER_HEADERS: tuple[str, ...] = ("stt", "tt", "số tt", "số thứ tự")
# Labels that head table columns (a cell opening with one, as a whole word, looks like a header cell).
TABLE_HEADER_WORDS: tuple[str, ...] = (
    "nội dung", "tên", "họ và tên", "họ tên", "thời gian", "thời hạn", "ngày", "đơn vị", "ghi chú", "công việc",
    "chức vụ", "chức danh", "kết quả", "số lượng", "chỉ tiêu", "địa chỉ", "địa điểm", "lĩnh vực", "cơ quan",
    "người thực hiện", "thực hiện", "trách nhiệm", "phụ trách", "chủ trì", "phối hợp", "thành phần", "kinh phí",
    "ý kiến", "mã số", "đvt", "năm sinh", "trình độ", "dân tộc", "điện thoại", "hoạt động", "nhiệm vụ",
)

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# What OCR makes of roman heading numbers (I read as l, L, |; II as H, Il; III as HI, Ill …).
ROMAN_LOOKALIKES: dict[str, str] = {
    "l": "I", "L": "I", "|": "I", "H": "II", "Il": "II", "lI": "II", "ll": "II", "U": "II",
    "HI": "III", "IH": "III", "Ill": "III", "IlI": "III", "lII": "III", "lll": "III", "IIl": "III",
    "lV": "IV", "1V": "IV", "Vl": "VI", "VIl": "VII", "Vll": "VII",
}


def roman_to_int(text: str) -> int | None:
    """'XII' → 12; None when `text` is not a roman numeral."""
    text = text.upper()
    if not text or any(c not in ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = ROMAN[c]
        total += -v if i + 1 < len(text) and ROMAN[text[i + 1]] > v else v
    return total


def _fold_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord("đ"): ord("d"), ord("Đ"): ord("D")}
    for cp in range(0x00C0, 0x1F00):
        ch = chr(cp)
        if unicodedata.category(ch) == "Mn":
            table[cp] = None
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = ord(base)
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Accent- and case-insensitive key: 'Kính gửi' → 'kinh gui', 'Đ' → 'd'."""
    return text.translate(_FOLD).casefold()


def type_from_name(text: str) -> str | None:
    """Canonical type when `text` (a title line) is a document type name, else None."""
    return TYPE_NAMES.get(" ".join(text.upper().split()).strip(" :."))


def type_from_symbol(symbol: str | None) -> str | None:
    """Canonical type from the type code of a symbol: 'KH-SYT' → Kế hoạch, 'CV/TĐTN-VP' → Công văn."""
    if not symbol:
        return None
    code = symbol.replace(" ", "").split("/")[0].split("-")[0]
    return TYPE_CODES.get(code) or TYPE_CODES.get(code.upper())

# A left-column line opening with one of these names the body above the issuer.
PARENT_PREFIXES: tuple[str, ...] = (
    "UBND", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "BỘ ", "TỔNG ", "THÀNH ĐOÀN", "TỈNH ĐOÀN", "HUYỆN ĐOÀN",
    "TỈNH ỦY", "TỈNH UỶ", "THÀNH ỦY", "THÀNH UỶ", "HUYỆN ỦY", "HUYỆN UỶ", "ĐẢNG BỘ", "ĐẢNG ỦY", "ĐẢNG UỶ",
    "TRƯỜNG ", "ĐẠI HỌC ", "HỌC VIỆN ", "TRUNG ƯƠNG", "BAN CHẤP HÀNH TRUNG ƯƠNG", "HĐND", "HỘI ĐỒNG NHÂN DÂN",
    "LIÊN ĐOÀN LAO ĐỘNG", "QUẬN ĐOÀN", "ĐOÀN KHỐI", "CÔNG ĐOÀN NGÀNH", "SỞ ",
)
# A left-column line opening with one of these names an issuing unit under the body above it.
ISSUER_PREFIXES: tuple[str, ...] = (
    "SỞ ", "PHÒNG ", "KHOA ", "BAN ", "BCH ", "TRUNG TÂM ", "CÔNG ĐOÀN ", "BỆNH VIỆN ", "CHI CỤC ", "CỤC ",
    "VỤ ", "VIỆN ", "VĂN PHÒNG ", "CHI ĐOÀN ", "ĐOÀN TRƯỜNG ", "HỘI ĐỒNG ", "TRƯỜNG ",
)
# Administrative levels: a line opening with one names the locality of the body above it
# ('ỦY BAN NHÂN DÂN' / 'TỈNH BÌNH DƯƠNG' is one issuer), unless it is itself a body (PARENT_PREFIXES).
LOCALITY_PREFIXES: tuple[str, ...] = (
    "TỈNH ", "THÀNH PHỐ ", "TP. ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ", "THỊ TRẤN ",
)
# Words that end a line which the next line continues (a wrapped name, not two bodies).
WRAP_ENDINGS: tuple[str, ...] = (" VÀ", "&", " CỦA", ",", "-", "–")
# Signer titles (upper case); used to tell a title line from a wrapped "on behalf of" body.
SIGNER_TITLES: tuple[str, ...] = (
    "BÍ THƯ", "PHÓ BÍ THƯ", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TRƯỞNG", "PHÓ TRƯỞNG",
    "CHÁNH", "PHÓ CHÁNH", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "CỤC TRƯỞNG",
    "VỤ TRƯỞNG", "TỔNG GIÁM ĐỐC", "TỔNG CỤC TRƯỞNG", "ỦY VIÊN", "UỶ VIÊN", "THƯỜNG TRỰC", "KẾ TOÁN",
    "THỦ TRƯỞNG", "NGƯỜI", "TM.", "KT.",
)

# Upper-case words of headers and closings besides those in the tables above: bodies, places, titles.
HEADER_PHRASES: tuple[str, ...] = (
    "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "BAN GIÁM ĐỐC", "BAN GIÁM HIỆU", "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN",
    "SỞ Y TẾ", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SỞ NỘI VỤ", "SỞ TÀI CHÍNH",
    "KHOA HỆ THỐNG THÔNG TIN", "TRƯỜNG ĐẠI HỌC CÔNG NGHỆ THÔNG TIN", "PHÒNG", "TRUNG TÂM", "VĂN PHÒNG",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "CÔNG ĐOÀN GIÁO DỤC VIỆT NAM", "HỘI LIÊN HIỆP THANH NIÊN",
    "TỈNH ĐOÀN", "THÀNH ĐOÀN", "HUYỆN ĐOÀN", "BCH ĐOÀN", "ĐẢNG ỦY", "CHI BỘ", "QUẬN", "HUYỆN", "XÃ", "PHƯỜNG",
    "CHÁNH VĂN PHÒNG", "TRƯỞNG KHOA", "TRƯỞNG PHÒNG", "HIỆU TRƯỞNG", "KIÊN GIANG", "PHÚ THỌ", "BÌNH DƯƠNG",
    "HÀ NỘI", "HỒ CHÍ MINH", "ĐÀ NẴNG", "CẦN THƠ", "HẢI PHÒNG",
)


# Words of administrative Vietnamese missing from the general word lists underthesea ships (lexicon.py).
ADMIN_WORDS: tuple[str, ...] = (
    "gói thầu", "toàn tỉnh", "toàn huyện", "toàn quốc", "tỷ đồng", "triệu đồng", "vị thành niên",
    "chuyển đổi số", "khám chữa bệnh", "đoàn viên thanh niên", "ban thường vụ", "ban chấp hành",
    "ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân", "sở y tế", "y tế dự phòng",
    "nơi nhận", "kính gửi", "như trên", "lưu văn thư", "thành đoàn", "tỉnh đoàn", "huyện đoàn",
    "đoàn thanh niên", "thanh thiếu nhi", "hội liên hiệp thanh niên", "chi đoàn", "cơ sở đoàn",
)


def header_phrases() -> tuple[str, ...]:
    """Every upper-case phrase of headers and closings the tables above know."""
    phrases = (*REGIME_HEADERS, *MOTTOS, *TYPE_NAMES, *SIGNER_TITLES, *PARENT_PREFIXES, *MARKS, *HEADER_PHRASES)
    return tuple(dict.fromkeys(" ".join(p.upper().split()) for p in phrases))


def header_vocabulary() -> dict[str, tuple[str, ...]]:
    """Accent-free key → the upper-case header words it may stand for ('DOC' → ĐỐC, ĐỘC)."""
    words = {w.strip(".,-–&") for p in header_phrases() for w in p.split()} - {""}
    by_key: dict[str, set[str]] = {}
    for w in words:
        by_key.setdefault(fold(w), set()).add(w)
    return {k: tuple(sorted(v)) for k, v in by_key.items()}
