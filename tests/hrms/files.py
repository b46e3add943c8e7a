"""Incident exports as hospitals' systems write them (HRMS on cloud, and another risk programme), built in the
test: Thai headers, Buddhist-era dates typed several ways, Thai-month dates, a date cell, multi-line text."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

HRMS_HEADER = [
    "เลขที่รับ", "หน่วยงาน", "วัน-เวลา ที่รายงาน", "สถานที่เกิดเหตุ", "วัน-เวลา ที่เกิดเหตุ", "หน่วยงานที่เกี่ยวข้อง",
    "กลุ่มอุบัติการณ์", "หมวด", "ประเภท", "ประเภทย่อย", "รหัสหัวข้อ", "หัวข้อ", "ระดับความรุนแรง",
    "สรุปปัญหา/เหตุการณ์โดยย่อ", "การดำเนินการ/การแก้ไขที่ได้ดำเนินการไปแล้ว", "ข้อเสนอแนะเพื่อการป้องกัน",
]
RISK_HEADER = [
    "รหัส: เรื่องอุบัติการณ์", "ความรุนแรง", "รายละเอียดการเกิด", "วันที่เกิดอุบัติการณ์", "เวลาที่เกิด", "วันที่รายงาน",
    "หน่วยงานที่รับผิดชอบ", "หน่วยงานที่รายงาน", "สถานที่", "การแก้ไขเบื้องต้น", "แนวทางป้องกัน", "สถานะ",
]
FALL = "พลัดตก หกล้ม"


def hrms_row(receipt: str, reported: Any, unit: str, code: str, severity: str, summary: str, *,
             action: str = "", prevention: str = "", occurred: Any = None, place: str = "") -> list[Any]:
    return [receipt, unit, reported, place, occurred if occurred is not None else reported, unit, "", "", "", "", code,
            "", severity, summary, action, prevention]


def hrms_history() -> list[list[Any]]:
    """Eight incidents of November 2569 (the test clock's month): three falls on the medical ward already
    closed, an open wrong-drug E, a non-clinical level 3, a sentinel I, a cell that looks like a formula."""
    done = {"action": "ประเมินความเสี่ยงพลัดตกซ้ำ ยกราวกั้นเตียง", "prevention": "ทบทวนแนวทางป้องกันพลัดตกทุกเวร"}
    return [
        hrms_row("67-00101", "2 พ.ย. 2569 08:15", "หอผู้ป่วยอายุรกรรม", "CPP405", "C",
                 "ผู้ป่วยชายอายุ 78 ปี ลุกไปเข้าห้องน้ำเอง ลื่นล้ม ฟกช้ำที่สะโพก", place="ห้องน้ำ", **done),
        hrms_row("67-00102", "05/11/2569 14:30", "อายุรกรรมชาย", "CPP405", "ระดับ D",
                 "คุณยายตกเตียงตอนตีสาม ไม่ได้ยกราวกั้นเตียง", **done),
        hrms_row("67-00103", datetime(2569, 11, 9, 22, 40), "ward_med", "CPP405", "C",
                 "ผป.พลัดตกขณะเดินไปห้องน้ำ\nไม่มีบาดแผล", **done),
        hrms_row("67-00104", "๑๒ พฤศจิกายน ๒๕๖๙ 10.05 น.", "ห้องยา", "CPM204", "E",
                 "จ่ายยา amlodipine ผิดคน ผู้ป่วยได้รับยาไป 1 มื้อ ต้องเฝ้าระวังความดัน",
                 action="แจ้งแพทย์ เฝ้าระวังความดันทุก 1 ชม."),
        hrms_row("67-00105", "15 พ.ย. 69 09:00", "งานการเงินและประกันสุขภาพ", "GOS101", "3",
                 "เรียกเก็บเงินผู้ป่วยสิทธิบัตรทองผิด ต้องคืนเงิน"),
        hrms_row("67-00106", "18 พ.ย. 2569 03:10", "ห้องคลอด", "CPE101", "I",
                 "มารดาหลังคลอดตกเลือด หัวใจหยุดเต้น CPR ไม่สำเร็จ"),
        hrms_row("67-00107", "20/11/2569 11:00", "งานผู้ป่วยนอก", "CPP101", "B",
                 "=HYPERLINK(\"http://x.example\",\"ดู\") ติดป้ายชื่อผิดคน แก้ไขก่อนถึงตัวผู้ป่วย",
                 action="ตรวจสอบตัวตนสองตัวบ่งชี้", prevention="-ยืนยันชื่อ-สกุล และวันเกิดทุกครั้ง"),
        hrms_row("67-00108", "21 พ.ย. 2569", "หอผู้ป่วยศัลยกรรม", "CPP405", "C",
                 "ผู้ป่วยหลังผ่าตัดหกล้มข้างเตียง", **done),
    ]


def write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    """An .xlsx (openpyxl, text cells as typed, date cells where a datetime is given) or a UTF-8 .csv with BOM."""
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "รายงานอุบัติการณ์"
        ws.append(header)
        for row in rows:
            ws.append(row)
        for cell in (c for r in ws.iter_rows(min_row=2) for c in r):
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text in HRMS, not a formula
        wb.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime) else v for v in row]
                             for row in rows)
    return path


def read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
