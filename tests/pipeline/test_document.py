"""Helpers of the pipeline's document model."""

from __future__ import annotations

from directives.pipeline.document import join_texts


def test_a_line_wrapped_inside_a_compound_joins_without_a_space():
    assert join_texts(["thực hiện Quyết định số 14/2013/QĐ-", "TTg và Đề án 1816"]) == \
        "thực hiện Quyết định số 14/2013/QĐ-TTg và Đề án 1816"
    assert join_texts(["Doanh nghiệp Y-", "Dược;"]) == "Doanh nghiệp Y-Dược;"
    assert join_texts(["tháng 11-", "2017"]) == "tháng 11-2017"
    assert join_texts(["Thông tư số 19/2025/", "TT-BYT"]) == "Thông tư số 19/2025/TT-BYT"
    assert join_texts(["UBND huyện/", "thị/thành phố"]) == "UBND huyện/thị/thành phố"


def test_a_dash_set_apart_or_before_a_mark_keeps_the_space():
    assert join_texts(["Cục Kiểm soát thủ tục hành chính -", "VPCP;"]) == "Cục Kiểm soát thủ tục hành chính - VPCP;"
    assert join_texts(["giai đoạn 2021-", "(dự kiến)"]) == "giai đoạn 2021- (dự kiến)"
    assert join_texts(["một", "hai", "ba"]) == "một hai ba"
    assert join_texts([]) == ""
