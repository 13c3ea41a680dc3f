"""Keywords of each section: TF-IDF over the document's segmented words, offline and plain.

A section's candidates are its words (underthesea segmentation, lower case) that contain a letter
and are not stopwords; a word scores (occurrences in the section) × idf, idf = ln((1 + N) / (1 + n))
+ 1 over the N sections of the document, n of which contain it. Words of two syllables or more
count 1.5 × (they carry the meaning in Vietnamese: "thanh niên", "tình nguyện"; a lone syllable is
often a function word). Ties go to the word seen first.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words, administrative boilerplate and generic verbs of directives (lower case).
STOPWORDS: frozenset[str] = _words("""
và với của cho các những một là thì mà để do bởi vì nên nếu khi đã đang sẽ được bị có không chưa
cũng còn rất hơn nhất này đó kia ấy nào gì đâu ai sau trước trong ngoài trên dưới giữa tại từ đến
tới về theo qua như nhằm bằng cùng hoặc hay hết mọi mỗi từng nhiều ít số lần thứ năm tháng ngày
quý giai_đoạn nhiệm_kỳ đồng_thời cụ_thể nhất_là đặc_biệt trong_đó bao_gồm thông_qua đối_với
gắn với việc sự cuộc các_cấp cấp tổ_chức thực_hiện triển_khai tiếp_tục tăng_cường đẩy_mạnh nâng_cao
chú_trọng phối_hợp hiệu_quả chất_lượng hoạt_động công_tác nội_dung hình_thức kế_hoạch chương_trình
tham_gia xây_dựng phát_huy duy_trì quan_tâm chủ_động kịp_thời tích_cực thường_xuyên đổi_mới hỗ_trợ
đảm_bảo bảo_đảm phù_hợp liên_quan nhân_dịp dịp dự_kiến thời_gian địa_phương đơn_vị cơ_quan
các_đơn_vị một_số lớn mới cao tốt điều hệ_thống giải_pháp nhiệm_vụ trọng_tâm toàn hằng_năm
""")


@lru_cache(maxsize=1 << 16)
def _candidate(word: str) -> str | None:
    """The word lower-cased when it is a keyword candidate (a document repeats its words)."""
    low = word.lower()
    return low if len(low) > 1 and low not in STOPWORDS and any(map(str.isalpha, low)) else None


def candidates(words: list[str]) -> list[str]:
    """The keyword candidates among segmented words ("thanh_niên", …), lower case."""
    return [low for low in map(_candidate, words) if low is not None]


def keywords(sections: list[list[str]], top: int = 5) -> list[list[str]]:
    """For each section's segmented words, its `top` keywords (underscores inside, as segmented)."""
    docs = [candidates(words) for words in sections]
    df = Counter(w for doc in docs for w in set(doc))
    n = len(docs)
    out = []
    for doc in docs:
        tf = Counter(doc)
        order = {w: i for i, w in reversed(list(enumerate(doc)))}
        scored = sorted(tf, key=lambda w: (-tf[w] * (math.log((1 + n) / (1 + df[w])) + 1)
                                           * (1.5 if "_" in w else 1.0), order[w]))
        out.append(scored[:top])
    return out
