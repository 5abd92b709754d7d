"""Real Japanese PDFs for tests, written with reportlab's built-in CID font (ENVIRONMENT.md)."""

from __future__ import annotations

from pathlib import Path

FONT = "HeiseiKakuGo-W5"

# A two-page plan of a fictitious city: the figure asked about is on page 2.
SAKURA_PDF = "sakuradai_plan.pdf"
SAKURA_PAGES = [
    ["桜台市協働推進計画", "1 計画の目的", "桜台市は、市民と行政がともに地域をつくることを目指します。",
     "本計画の期間は令和7年度から令和11年度までの5年間です。"],
    ["2 主な取組", "(1) 桜まつり", "毎年4月に桜川の堤防で桜まつりを開催します。",
     "令和6年度の桜まつりには約1200名が参加しました。"],
]
SAKURA_QUESTION = "桜台市の桜まつりには何名が参加しましたか？"
SAKURA_QUOTE = "令和6年度の桜まつりには約1200名が参加しました。"


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one line of text per item, one list per page (the first line larger)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = 780
        for i, line in enumerate(lines):
            pdf.setFont(FONT, 16 if i == 0 else 11)
            pdf.drawString(72, y, line)
            y -= 26 if i == 0 else 20
        pdf.showPage()
    pdf.save()
    return path


def write_sakura_pdf(folder: Path) -> Path:
    return write_pdf(Path(folder) / SAKURA_PDF, SAKURA_PAGES)
