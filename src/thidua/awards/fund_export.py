"""Excel exports of the reward fund: the ledger (sổ quỹ) with its running balance and totals,
and the list of prizes. Through core.excel: amounts and dates as numbers and dates, every text
(names, contents, voucher numbers typed by users) as a text cell, never a formula."""

from collections.abc import Iterable
from typing import Any

from thidua.awards.fund import Summary
from thidua.awards.fund_models import FundEntry, PrizePayment
from thidua.core.excel import Column, write_workbook

LEDGER_COLUMNS = (
    Column("STT", "n", width=6),
    Column("Ngày", "date", width=12),
    Column("Loại", "kind", width=26),
    Column("Nội dung", "content", width=60),
    Column("Số chứng từ", "voucher", width=18),
    Column("Thu (đồng)", "income", width=16),
    Column("Chi (đồng)", "expense", width=16),
    Column("Tồn quỹ (đồng)", "balance", width=16),
)
PAYMENT_COLUMNS = (
    Column("STT", "n", width=6),
    Column("Quyết định số", "decision", width=18),
    Column("Ngày quyết định", "signed_on", width=14),
    Column("Số vào sổ", "registry", width=12),
    Column("Tập thể, cá nhân", "recipient", width=40),
    Column("Đối tượng", "subject", width=12),
    Column("Hình thức", "award", width=36),
    Column("Mức lương cơ sở (đồng)", "base", width=16),
    Column("Hệ số", "coefficient", width=8),
    Column("Số tiền (đồng)", "amount", width=16),
    Column("Trạng thái", "status", width=14),
    Column("Ngày chi", "paid_on", width=12),
    Column("Số chứng từ", "voucher", width=18),
)


def _title(summary: Summary) -> str:
    return f"Quỹ thi đua, khen thưởng năm {summary.year}: {summary.issuer.name}"


def ledger_xlsx(summary: Summary, rows: Iterable[tuple[FundEntry, int]]) -> bytes:
    def lines() -> Iterable[list[Any]]:
        for n, (entry, balance) in enumerate(rows, start=1):
            income = entry.amount if entry.is_income else None
            expense = None if entry.is_income else entry.amount
            yield [n, entry.entry_date, entry.get_kind_display(), entry.content, entry.voucher,
                   income, expense, balance]  # fmt: skip
        yield []
        yield ["", "", _title(summary)]
        for label, value in (
            ("Dự toán ngân sách được giao", summary.budget),
            ("Thu từ nguồn khác", summary.other_income),
            ("Tổng thu", summary.income),
            ("Đã chi tiền thưởng", summary.prizes_paid),
            ("Chi khác", summary.other_expense),
            ("Tổng chi", summary.expense),
            ("Số dư", summary.balance),
            ("Tiền thưởng chờ chi", summary.pending),
            ("Còn có thể chi", summary.available),
        ):
            yield ["", "", label, "", "", "", "", value]

    return write_workbook(LEDGER_COLUMNS, lines(), sheet_name="Sổ quỹ")


def payments_xlsx(summary: Summary, payments: Iterable[PrizePayment]) -> bytes:
    def lines() -> Iterable[list[Any]]:
        for n, p in enumerate(payments, start=1):
            yield [n, p.decision.reference, p.decision.signed_on, p.record.registry_reference,
                   p.record.recipient_name, p.record.get_subject_display(), p.record.award_type.name,
                   p.base_salary, p.coefficient, p.amount, p.get_status_display(), p.paid_on,
                   p.voucher]  # fmt: skip

    return write_workbook(PAYMENT_COLUMNS, lines(), sheet_name="Tiền thưởng")
