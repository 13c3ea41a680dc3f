"""Activities from plan tables: which tables are plans (a task and a time column, however named),
and the year of each activity (its own dates, then the plan's period, then the document's date),
with warnings where a time cannot be placed."""

from __future__ import annotations

from directives.pipeline.activities import activities, plan_columns, row_year, text_to_period
from directives.schemas import Part, Table
from tests.helpers import document


def test_activity_year_from_its_own_dates_then_the_plan_period_then_the_document():
    assert text_to_period("Kế hoạch đấu thầu thuốc năm 2019 - 2020") == (2019, 2020)
    assert text_to_period("Một số hoạt động lớn dự kiến tổ chức trong năm 2024") == (2024, 2024)
    assert text_to_period("về việc tổ chức hội nghị") is None
    assert row_year("01/3/2018 - 05/3/2018", (2019, 2020), 2018) == 2018  # the row's own date wins
    assert row_year("Tháng 5", (2024, 2024), 2023) == 2024  # then the plan's one-year period
    assert row_year("Tháng 5", (2019, 2020), 2018) is None  # two years: which one is not said
    assert row_year("Quý III", None, 2023) == 2023  # no period named: the document's year


def test_activities_from_any_plan_table_with_a_task_and_a_time_column_and_warnings_not_guesses():
    doc = document([])
    doc.result.parts = [Part(id=0, subject="Kế hoạch đấu thầu thuốc năm 2019 - 2020", date="2018-03-01")]
    doc.result.tables = [
        Table(id="t1", columns=["STT", "Công việc", "Thời gian", "Người thực hiện & kết quả"], rows=[
            ["01", "Xây dựng danh mục", "01/3/2018 - 05/3/2018", "Sở Y tế"],
            ["02", "Mở thầu", "Tháng 5", "Sở Y tế"],
            ["03", "Ký hợp đồng", "Sau khi có kết quả", "Các bệnh viện"]]),
        Table(id="t2", columns=["STT", "Họ và tên", "Ngày sinh"], rows=[["1", "Nguyễn Văn A", "01/01/1980"]]),
    ]
    doc = activities(doc)
    acts = doc.result.activities
    assert [(a.no, a.name, a.months, a.year) for a in acts] == [
        (1, "Xây dựng danh mục", [3], 2018), (2, "Mở thầu", [5], None), (3, "Ký hợp đồng", [], None)]
    codes = [(w.code, w.message.split(":")[0]) for w in doc.result.warnings]
    assert ("activity-year-unknown", "activity 2 of table t1") in codes
    assert ("activity-time-unread", "activity 3 of table t1") in codes


def test_plan_header_named_otherwise_and_one_word_labels():
    assert plan_columns(["STT", "Ngày", "Công việc"]) == (0, 2, 1)
    assert plan_columns(["TT", "Nhiệm vụ", "Tiến độ hoàn thành", "Chủ trì"]) == (0, 1, 2)
    assert plan_columns(["STT", "Tên quy định", "Nội dung", "Ngày ban hành"]) is None  # a date, not a time
    assert plan_columns(["STT", "Nội dung", "Phụ trách / Thời gian"]) == (0, 1, 2)
