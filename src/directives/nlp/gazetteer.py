"""Names as data: Vietnamese provinces, administrative-unit words, organisation heads, titles.

Used to correct underthesea's NER (which labels codes and titles as places) and to find names it
misses. Lookups go through `exact_key` (case and tone placement ignored: Hoà Bình = Hòa Bình).
"""

from __future__ import annotations

from directives.knowledge import FAMILY_NAMES, PROVINCES_34, PROVINCES_63  # noqa: F401 (re-exported)
from directives.vntext import exact_key


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


CITIES: frozenset[str] = frozenset({"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"})
COUNTRIES: tuple[str, ...] = (
    "Việt Nam", "Lào", "Campuchia", "Trung Quốc", "Thái Lan", "Nhật Bản", "Hàn Quốc", "Hoa Kỳ", "Singapore",
    "Ma-lai-xi-a", "Malaysia", "In-đô-nê-xi-a", "Indonesia", "Phi-líp-pin", "Philippines", "Mi-an-ma",
    "Myanmar", "Bru-nây", "Brunei", "Đông Ti-mo", "Ấn Độ", "Liên bang Nga", "Pháp", "Đức", "Anh", "Cu Ba",
    "Ô-xtơ-rây-li-a", "Australia",
)
# Words that name an administrative unit before its proper name ("tỉnh Kiên Giang", "Vương quốc Campuchia").
ADMIN_UNITS: tuple[str, ...] = (
    "tỉnh", "thành phố", "tp.", "tp", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "ấp", "thôn",
    "khu phố", "vương quốc", "nước", "đảo", "quần đảo",
)
# First word(s) of an organisation's name (upper-case initial as printed).
ORG_HEADS: tuple[str, ...] = (
    "Ban", "Bộ", "Hội", "Đoàn", "Đội", "Đảng", "Ủy ban", "Uỷ ban", "UBND", "HĐND", "Sở", "Tỉnh đoàn",
    "Thành đoàn", "Huyện đoàn", "Quận đoàn", "Mặt trận", "Công đoàn", "Trường", "Viện", "Hội đồng",
    "Liên đoàn", "Tổng Liên đoàn", "Chi đoàn", "Chi bộ", "Văn phòng", "Chính phủ", "Quốc hội", "Học viện",
    "Đại học", "Bệnh viện", "Trung tâm", "Cục", "Tổng cục", "Phòng", "BCH", "Đảng ủy", "Đảng uỷ", "Tỉnh ủy",
    "Tỉnh uỷ", "Thành ủy", "Thành uỷ", "Huyện ủy", "Huyện uỷ", "Ban Chấp hành", "Ban Thường vụ", "Ban Bí thư",
    "Bộ Chính trị", "Tòa án", "Viện kiểm sát", "Công an", "Bộ đội", "Hợp tác xã",
)
# Lower-case words that may continue an organisation's name before a capitalised word
# ("Hội sinh viên Việt Nam", "Ủy ban Hội Liên hiệp thanh niên Việt Nam").
ORG_INNER: tuple[str, ...] = (
    "thanh niên", "sinh viên", "học sinh", "phụ nữ", "nông dân", "cựu chiến binh", "nhân dân", "lao động",
    "doanh nhân", "chữ thập đỏ", "khuyến học", "người cao tuổi", "nhà báo", "luật gia", "doanh nghiệp",
)
# Titles and forms of address before a name; never part of a place or a person's name.
TITLES: tuple[str, ...] = (
    "Bí thư", "Phó Bí thư", "Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng ban", "Phó Trưởng ban",
    "Ủy viên", "Uỷ viên", "Thủ tướng", "Phó Thủ tướng", "Bộ trưởng", "Thứ trưởng", "Tổng Bí thư", "Chánh",
    "Hiệu trưởng", "Đồng chí", "đồng chí", "Ông", "Bà", "Anh", "Chị", "Thầy", "Cô", "Bác", "Chủ nhiệm", "Đại biểu",
)
# Years of the sexagenary cycle ("Tết Giáp Thìn"): common words, not names.
CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
CHI = ("Tý", "Tí", "Sửu", "Dần", "Mão", "Mẹo", "Thìn", "Tỵ", "Tị", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")


def _keys(names: tuple[str, ...] | frozenset[str]) -> dict[str, str]:
    return {exact_key(n): n for n in names}


PLACE_KEYS: dict[str, str] = {**_keys(COUNTRIES), **_keys(PROVINCES_63), **_keys(PROVINCES_34),
                              exact_key("Bà Rịa – Vũng Tàu"): "Bà Rịa - Vũng Tàu", exact_key("Huế"): "Huế"}
ORG_HEAD_KEYS: frozenset[str] = frozenset(exact_key(h) for h in ORG_HEADS)
ORG_INNER_KEYS: frozenset[str] = frozenset(exact_key(w) for w in ORG_INNER)
TITLE_KEYS: frozenset[str] = frozenset(exact_key(t) for t in TITLES)
ADMIN_KEYS: frozenset[str] = frozenset(exact_key(a) for a in ADMIN_UNITS)


def place(name: str) -> str | None:
    """The canonical spelling of a province, centrally-run city or country, or None."""
    return PLACE_KEYS.get(exact_key(name))


def province_unit(name: str) -> str:
    """'Kiên Giang' → 'tỉnh Kiên Giang', 'Hà Nội' → 'thành phố Hà Nội', a country → itself."""
    canonical = place(name) or name
    if canonical in CITIES:
        return f"thành phố {canonical}"
    if canonical in PROVINCES_63 or canonical in PROVINCES_34:
        return f"tỉnh {canonical}"
    return canonical


CAN_CHI_KEYS: frozenset[str] = frozenset(exact_key(f"{c} {h}") for c in CAN for h in CHI)


def is_known_name(text: str) -> bool:
    """A place of the gazetteer or a year of the sexagenary cycle: nothing for NER to find."""
    return place(text) is not None or exact_key(text) in CAN_CHI_KEYS
