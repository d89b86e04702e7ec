import io
import re
import unicodedata

from PyPDF2 import PdfReader

from odoo.tests import HttpCase, tagged

from .common import LianghuaContractCommon


@tagged("post_install", "-at_install")
class TestContractInTheBrowser(HttpCase, LianghuaContractCommon):
    def test_legal_reviews_in_the_form(self):
        contract = self._create_contract()
        self._fill_sections(contract)
        contract.action_submit_review()
        self.start_tour("/odoo", "lianghua_contract_legal_review", login=self.legal.login)
        contract.invalidate_recordset()
        self.assertEqual(contract.lianghua_state, "approved")
        self.assertRecordValues(
            contract.lianghua_review_note_ids,
            [{"author_id": self.legal.id, "note": "Cap the penalties at 10% of the fee.",
              "state": "open"}],
        )  # fmt: skip
        self.assertEqual(
            contract.lianghua_review_note_ids.section_id.lianghua_template_id.code, "breach"
        )
        self.assertEqual(contract.review_ids.done_by, self.legal)

    def test_printable_contract_renders_chinese(self):
        contract = self._create_contract(name="企业资源计划系统实施合同")
        contract.sections_ids[:1].content = "<p>乙方负责系统实施与培训。</p>"
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("agreement_legal.partner_agreement_contract_document", contract.ids)
        )
        self.assertEqual(report_type, "pdf")
        reader = PdfReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages)
        text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))
        for expected in ("企业资源计划系统实施合同", "乙方负责系统实施与培训"):
            self.assertIn(expected, text)
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"].get_object()["/Font"].get_object().values()
        }
        self.assertTrue(any("NotoSansCJK" in font for font in fonts), fonts)
