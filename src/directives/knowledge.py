"""Vietnamese administrative-document knowledge, kept as data tables.

Stages read these tables; they never spell these words in their own regexes. Everything here is
what all directives share (Decree 30/2020/NĐ-CP and the Party / Youth Union / trade-union
variants), never a particular document's strings.
"""

from __future__ import annotations

from directives.vntext import fold

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
    "ĐIỀU LỆ": "Điều lệ",
    "HỢP ĐỒNG": "Hợp đồng",
    "BẢN GHI NHỚ": "Bản ghi nhớ",
    "BẢN THỎA THUẬN": "Bản thỏa thuận",
    "GIẤY NGHỈ PHÉP": "Giấy nghỉ phép",
    "PHIẾU GỬI": "Phiếu gửi",
    "PHIẾU CHUYỂN": "Phiếu chuyển",
    "PHIẾU BÁO": "Phiếu báo",
    "THƯ CÔNG": "Thư công",
    "BẢN SAO": "Bản sao",
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
    "ĐL": "Điều lệ",
    "BGN": "Bản ghi nhớ",
    "BTT": "Bản thỏa thuận",
    "GNP": "Giấy nghỉ phép",
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
RECIPIENT_LABELS: tuple[str, ...] = ("Kính gửi", "Kính gởi")  # gởi: the southern spelling

# Labels of the text an e-office system lays over a signed page (the signature box, the publisher's
# stamp: Decree 30/2020, Annex I), by the signature field each gives; matched accent- and case-folded.
SIGNATURE_BOX_LABELS: dict[str, tuple[str, ...]] = {
    "signer": ("Ký bởi", "Người ký", "Được ký bởi", "Ký số bởi", "Digitally signed by", "Signed by", "Signer"),
    "organization": ("Cơ quan", "Tổ chức", "Đơn vị", "Organization"),
    "signing_time": ("Thời gian ký", "Ngày ký", "Thời gian", "Signing time", "Date"),
    "email": ("Email", "E-mail", "Thư điện tử"),
    "reason": ("Lý do", "Reason"),
    "location": ("Địa điểm", "Nơi ký", "Location"),
}
# Labels that alone mark a line as signature-box text (the others also open lines of a document's body).
SIGNATURE_BOX_OPENERS: tuple[str, ...] = ("Ký bởi", "Người ký", "Được ký bởi", "Ký số bởi", "Digitally signed by",
                                          "Signed by", "Thời gian ký", "Signature Valid", "Signature Not Verified")
# Forms of copy (Decree 30/2020, art. 25) that open an e-office copy's signature line: "SAO Y; SỞ NỘI VỤ; …".
COPY_FORMS: tuple[str, ...] = ("SAO Y", "SAO LỤC", "TRÍCH SAO")

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
# The same, one character at a time, for numbers the table does not list ('VHI' → VIII).
ROMAN_CHAR_LOOKALIKES: dict[str, str] = {"l": "I", "L": "I", "|": "I", "1": "I", "H": "II", "U": "II"}
# Ordinal words that number parts ('PHẦN THỨ HAI'), accent-free.
ORDINALS: dict[str, int] = {"nhat": 1, "nhi": 2, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
                            "tam": 8, "chin": 9, "muoi": 10}


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


def type_from_name(text: str) -> str | None:
    """Canonical type when `text` (a title line) is a document type name, else None; also when OCR
    lost the space between its words ('TỜTRÌNH'): no type's name is another's run together."""
    key = " ".join(text.upper().split()).strip(" :.")
    return TYPE_NAMES.get(key) or _TYPE_NAMES_RUN_TOGETHER.get(key)


_TYPE_NAMES_RUN_TOGETHER = {k.replace(" ", ""): v for k, v in TYPE_NAMES.items() if " " in k}


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
# The 63 provinces and centrally-run cities before 1 July 2025 …
PROVINCES_63: tuple[str, ...] = (
    "Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre", "Bình Định",
    "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên",
    "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)
# … and the 34 since (Resolution 202/2025/QH15): 6 cities and 28 provinces.
PROVINCES_34: tuple[str, ...] = (
    "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ",
    "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng",
    "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị",
    "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long",
    "Đồng Tháp", "Cà Mau", "An Giang",
)
# Vietnamese family names (a person's name opens with one), the common ones and those of the
# Khmer and other communities' names as registered (Danh, Thạch …). Words that are also common
# words or place names at the head of a capitalised run (Công, Sơn, Kim, Đồng …) are left out.
_FAMILY_NAME_LIST = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh Trương Lâm "
    "Mai Tô Hà Đinh Lương Quách Cao Thái Tạ Châu Chu Lưu Kiều Văn Diệp Doãn Khổng Lục Mạc Nghiêm Ông Phùng Tăng "
    "Thân Tôn Triệu Từ Viên La Đàm Giang Hứa Kha Lạc Mã Ninh Quan Tiêu Trình Âu Bạch Ân Lò Lường Vi "
    "Danh Thạch Lữ Lã Lại Nông Hầu Hàn Tống Cù Khúc Mẫn Phí Thiều Ung Bế Khương Đậu Ngụy Biện Tào"
)
FAMILY_NAMES: frozenset[str] = frozenset(_FAMILY_NAME_LIST.split())
# The fourteen most common of them (about nine in ten Vietnamese carry one): a family name OCR read
# with other marks ('Trân') is taken for one of these only, never for a rarer one a smudge may spell.
COMMON_FAMILY_NAMES: tuple[str, ...] = tuple(_FAMILY_NAME_LIST.split()[:14])
# Words that name a person before the name itself ('Ông Nguyễn Văn An', 'Mời bà …', 'Đồng chí …').
HONORIFICS: tuple[str, ...] = ("ông", "bà", "anh", "chị", "đồng chí", "đ/c", "mời ông", "mời bà")

# Words that open the name of a body (an issuer or the body above it) in a header's left column; a
# line that opens otherwise goes on with the name above it ('TRƯỜNG ĐẠI HỌC' / 'CÔNG NGHỆ THÔNG TIN').
BODY_HEADS: tuple[str, ...] = tuple(dict.fromkeys((*PARENT_PREFIXES, *ISSUER_PREFIXES,
    "ỦY BAN ", "UỶ BAN ", "HỘI ", "LIÊN ĐOÀN ", "CHI BỘ", "MẶT TRẬN ", "THANH TRA ", "KHO BẠC ", "TỔNG CỤC ",
    "CÔNG AN ", "BỘ CHỈ HUY ", "BỘ TƯ LỆNH ", "TÒA ÁN ", "TOÀ ÁN ", "VIỆN KIỂM SÁT ", "NGÂN HÀNG ", "CÔNG TY ",
    "TẬP ĐOÀN ", "BẢO HIỂM XÃ HỘI", "BHXH ", "ĐÀI ", "BÁO ", "THỦ TƯỚNG", "CHÍNH PHỦ", "QUỐC HỘI", "CHỦ TỊCH NƯỚC",
    "ĐOÀN ", "TỔ ", "HỢP TÁC XÃ ", "QUỸ ", "ĐẠI HỘI ", "CHI HỘI ", "ĐỘI ", "LIÊN ĐỘI ", "HỘI ĐỒNG ",
)))

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

# Signers' titles besides SIGNER_TITLES' heads (a deputy's is "PHÓ " + the head's).
TITLE_PHRASES: tuple[str, ...] = (
    "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
    "TRƯỞNG KHOA", "PHÓ TRƯỞNG KHOA", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA",
    "TỔNG THƯ KÝ", "THƯ KÝ", "CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "TỔ TRƯỞNG",
    "CHỦ TỌA", "NGƯỜI GHI BIÊN BẢN", "TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC", "CHÁNH ÁN", "VIỆN TRƯỞNG",
    "TRƯỞNG ĐOÀN", "PHÓ TRƯỞNG ĐOÀN", "CHỈ HUY TRƯỞNG", "TƯ LỆNH", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TRƯỞNG TRẠM",
    "TRƯỞNG CÔNG AN", "ĐỘI TRƯỞNG", "THỦ QUỸ", "NGƯỜI LẬP", "NGƯỜI LẬP BIỂU",
)
# What a published copy prints where the signature was ("(Đã ký)"), never part of a name.
SIGNATURE_MARKS: tuple[str, ...] = ("đã ký", "ký", "ký tên", "ký, đóng dấu", "ký tên, đóng dấu", "đã ký và đóng dấu",
                                    "chữ ký", "đã ký, đóng dấu", "ký và ghi rõ họ tên", "ký, ghi rõ họ tên")
# Fixed items and abbreviations of a "Nơi nhận" list, as printed (OCR's slips snap to them).
DISTRIBUTION_WORDS: tuple[str, ...] = ("Như trên", "BGĐ", "GĐ", "PGĐ", "TGĐ", "BCĐ", "Lưu", "Như thành phần")
# what a distribution item is sent for, in brackets after it: "- BGĐ SYT (để b/c);"
DISTRIBUTION_NOTES: tuple[str, ...] = ("(để b/c)", "(b/c)", "(để b/cáo)", "(b/cáo)", "(để báo cáo)", "(để biết)",
                                       "(để t/h)", "(t/h)", "(để thực hiện)", "(để phối hợp)", "(để chỉ đạo)")

# The departments of a province and the ministries (Decree 24/2014, 107/2020, 45/2025; Law on Government):
# a closed list, so a name OCR cut short of its last word is known whole.
DEPARTMENTS: tuple[str, ...] = (
    "SỞ NỘI VỤ", "SỞ TƯ PHÁP", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SỞ TÀI CHÍNH", "SỞ CÔNG THƯƠNG", "SỞ XÂY DỰNG",
    "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "SỞ GIAO THÔNG VẬN TẢI",
    "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SỞ VĂN HÓA VÀ THỂ THAO", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SỞ Y TẾ", "SỞ NGOẠI VỤ", "SỞ DÂN TỘC VÀ TÔN GIÁO", "SỞ DU LỊCH", "BAN DÂN TỘC",
    "BỘ Y TẾ", "BỘ NỘI VỤ", "BỘ TƯ PHÁP", "BỘ TÀI CHÍNH", "BỘ CÔNG AN", "BỘ QUỐC PHÒNG", "BỘ NGOẠI GIAO",
    "BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ XÂY DỰNG", "BỘ CÔNG THƯƠNG", "BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
    "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "BỘ GIAO THÔNG VẬN TẢI", "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
    "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
    "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "BỘ DÂN TỘC VÀ TÔN GIÁO",
)


# Upper-case words of headers and closings besides those in the tables above: bodies, places, titles.
HEADER_PHRASES: tuple[str, ...] = (
    "BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "BAN GIÁM ĐỐC", "BAN GIÁM HIỆU", "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN",
    "BAN TỔ CHỨC", "BAN CHỈ ĐẠO", "BAN QUẢN LÝ", "BAN BIÊN TẬP", "TỔ CÔNG TÁC", "ĐOÀN KIỂM TRA", "HỘI ĐỒNG",
    "PHÒNG", "TRUNG TÂM", "VĂN PHÒNG", "CHI CỤC", "BỆNH VIỆN", "ĐẠI HỌC", "HỌC VIỆN", "THANH TRA", "KHO BẠC",
    "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", "LIÊN ĐOÀN LAO ĐỘNG", "CÔNG ĐOÀN", "HỘI LIÊN HIỆP THANH NIÊN",
    "HỘI LIÊN HIỆP PHỤ NỮ", "HỘI NÔNG DÂN", "HỘI CỰU CHIẾN BINH", "MẶT TRẬN TỔ QUỐC VIỆT NAM", "ỦY BAN MẶT TRẬN",
    "TỈNH ĐOÀN", "THÀNH ĐOÀN", "HUYỆN ĐOÀN", "BCH ĐOÀN", "ĐẢNG ỦY", "CHI BỘ", "THỦ TƯỚNG CHÍNH PHỦ",
    "TỈNH", "THÀNH PHỐ", "QUẬN", "HUYỆN", "THỊ XÃ", "THỊ TRẤN", "XÃ", "PHƯỜNG", "VIỆT NAM",
    *DEPARTMENTS, "CÔNG NGHỆ THÔNG TIN", "HỆ THỐNG THÔNG TIN",
    *TITLE_PHRASES,
)


# Words of administrative Vietnamese missing from the general word lists underthesea ships (lexicon.py).
ADMIN_WORDS: tuple[str, ...] = (
    "gói thầu", "toàn tỉnh", "toàn huyện", "toàn quốc", "tỷ đồng", "triệu đồng", "vị thành niên",
    "chuyển đổi số", "khám chữa bệnh", "đoàn viên thanh niên", "ban thường vụ", "ban chấp hành",
    "ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân", "sở y tế", "y tế dự phòng",
    "nơi nhận", "kính gửi", "như trên", "lưu văn thư", "thành đoàn", "tỉnh đoàn", "huyện đoàn",
    "đoàn thanh niên", "thanh thiếu nhi", "hội liên hiệp thanh niên", "chi đoàn", "cơ sở đoàn",
    "cục thuế", "chi cục thuế", "cục thống kê", "kho bạc nhà nước", "cổng thông tin điện tử",
    "trung tâm y tế", "trạm y tế", "phòng y tế", "bệnh viện đa khoa", "văn hóa thể thao và du lịch", "lễ kỷ niệm",
    "ubnd tỉnh", "ubnd thành phố", "ubnd huyện", "ubnd quận", "ubnd thị xã", "ubnd xã", "ubnd phường",
    "sau đây gọi chung là", "sau đây gọi tắt là", "cổng ttđt",
)


# The people's councils and committees, named with their level: "ỦY BAN NHÂN DÂN TỈNH", "UBND HUYỆN".
COUNCILS: tuple[str, ...] = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "UBND", "HĐND")
LEVELS: tuple[str, ...] = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "THỊ TRẤN", "XÃ", "PHƯỜNG")


def header_phrases() -> tuple[str, ...]:
    """Every upper-case phrase of headers and closings the tables above know."""
    phrases = (*REGIME_HEADERS, *MOTTOS, *TYPE_NAMES, *SIGNER_TITLES, *PARENT_PREFIXES, *MARKS, *HEADER_PHRASES,
               *(p.upper() for p in (*PROVINCES_63, *PROVINCES_34)), *(f"{c} {lv}" for c in COUNCILS for lv in LEVELS))
    return tuple(dict.fromkeys(" ".join(p.upper().split()) for p in phrases))


def header_vocabulary() -> dict[str, tuple[str, ...]]:
    """Accent-free key → the upper-case header words it may stand for ('DOC' → ĐỐC, ĐỘC), the word
    used in more phrases first ('TINH' → TỈNH, of many bodies, before TĨNH, of one province)."""
    counts: dict[str, int] = {}
    for p in header_phrases():
        for w in p.split():
            w = w.strip(".,-–&")
            if w:
                counts[w] = counts.get(w, 0) + 1
    by_key: dict[str, list[str]] = {}
    for w in sorted(counts, key=lambda w: (-counts[w], w)):
        by_key.setdefault(fold(w), []).append(w)
    return {k: tuple(v) for k, v in by_key.items()}


# Time expressions of plan tables ("Từ tháng 01 - 02", "Quý II", "cả năm"), in folded form (vntext.fold:
# no diacritics, lower case): the words of pipeline/timeexpr.py.
MONTH_WORDS: tuple[str, ...] = ("thang",)
QUARTER_WORDS: tuple[str, ...] = ("quy", "qui")
QUARTER_NUMERALS: dict[str, int] = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
WHOLE_YEAR_PHRASES: tuple[str, ...] = ("ca nam", "quanh nam", "suot nam", "thuong xuyen", "hang thang")
RANGE_WORDS: tuple[str, ...] = ("den", "toi")
RANGE_SYMBOLS: tuple[str, ...] = ("->", "→", "–", "—", "−", "‐", "‑", "~")
LIST_WORDS: tuple[str, ...] = ("va",)
LIST_SYMBOLS: tuple[str, ...] = (";", "&")
YEAR_END_WORDS: tuple[str, ...] = ("het nam", "cuoi nam")  # "đến hết năm" → range ends in December
HALF_YEAR_WORDS: dict[str, bool] = {"dau": True, "cuoi": False}  # True → counts from January
HALF_WORD = "nua"  # "nửa đầu năm" = 6 months
YEAR_WORD = "nam"


# Words that open a paragraph whatever its indentation (pipeline/layout.py): article-like headings
# followed by their number, and labels.
ARTICLE_WORDS: tuple[str, ...] = ("Điều", "Phần", "Chương", "Mục")
PARAGRAPH_LABELS: tuple[str, ...] = ("Kính gửi", "Nơi nhận", "Căn cứ", "Xét đề nghị")
# the words (folded) a place-and-date line is cut after when its day or month was handwritten
DATE_LINE_WORDS: tuple[str, ...] = ("ngay", "thang")
# who signs "KT." for the head: PHÓ + the head's title, but for these titles
DEPUTIES: dict[str, str] = {"BỘ TRƯỞNG": "THỨ TRƯỞNG"}
# heads whose deputies often sign with a longer title ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "THỨ TRƯỞNG THƯỜNG TRỰC")
HEADS_WITH_SENIOR_DEPUTIES: tuple[str, ...] = ("CHỦ TỊCH", "BÍ THƯ", "BỘ TRƯỞNG")

# Entities (nlp/rules.py): kinds of legal documents cited beyond the types of Decree 30/2020; the
# words that introduce a campaign's quoted name; the words that introduce a period of years.
CITED_DOCUMENT_KINDS: tuple[str, ...] = ("Thông tư liên tịch", "Bộ luật", "Pháp lệnh")
CAMPAIGN_TRIGGERS: tuple[str, ...] = (
    "chương trình", "cuộc vận động", "vận động", "phong trào", "mô hình", "chủ đề", "chủ trương",
    "chiến dịch", "cuộc thi", "hội thi", "liên hoan", "giải thưởng", "danh hiệu", "vinh danh",
    "diễn đàn", "chuyên đề", "hưởng ứng", "ngày hội", "đề án", "hội diễn", "hội trại", "khẩu hiệu",
)
PERIOD_WORDS: tuple[str, ...] = ("giai đoạn", "nhiệm kỳ", "thời kỳ", "niên khóa", "niên khoá", "năm học", "từ năm")
