import io
import re
import unicodedata

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from .common import LianghuaSettlementCommon


@tagged("post_install", "-at_install")
class TestSettlementReport(HttpCase, LianghuaSettlementCommon):
    def test_printable_settlement_renders_chinese(self):
        contract = self._contract_with_history(name="企业资源计划系统实施合同")
        settlement = self._settle(contract)
        settlement.with_user(self.it_user).note = "质保金于验收后三个月返还。"
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "lianghua_contract_cost.report_lianghua_contract_settlement", settlement.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        reader = PdfReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages)
        text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))
        for expected in ("企业资源计划系统实施合同", "质保金于验收后三个月返还"):
            self.assertIn(expected, text)
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"].get_object()["/Font"].get_object().values()
        }
        self.assertTrue(any("NotoSansCJK" in font for font in fonts), fonts)
        # The figures, as the PDF is made of the report's HTML.
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "lianghua_contract_cost.report_lianghua_contract_settlement", settlement.ids
            )[0]
        )
        for expected in (settlement.name, "47,000.00", "45,500.00", "4,000.00", "3,500.00"):
            self.assertIn(expected, html)
