import io
import re
import unicodedata

from PyPDF2 import PdfReader

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestRequestFormReport(HttpCase, LianghuaServiceCommon):
    """The printable request form (《兩化服務需求申請表》) renders Chinese text.

    An HttpCase, so that wkhtmltopdf loads the report stylesheets from the
    running server, as it does in production.
    """

    def test_pdf_renders_chinese(self):
        request = self._create_request(
            title="销售拜访移动应用",
            background="销售代表在外拜访，无法及时录入。",
            urgency="urgent",
            urgency_reason="展会下月开幕",
        )
        request.action_submit()
        self._leader_decides(request, "validate", "同意立即评估")

        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("lianghua_service.action_report_lianghua_request", request.ids)
        )

        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        text = "".join(page.extract_text() for page in reader.pages)
        # NFKC: CJK fonts map some ideographs to their Kangxi-radical twins.
        text = unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))
        # (Text extraction maps a few glyphs shared between simplified and
        # traditional characters, like 户/戶, to either: the strings avoid them.)
        for expected in (
            "销售拜访移动应用",
            "销售代表在外拜访",
            "展会下月开幕",
            "同意立即评估",
            request.name,
        ):
            self.assertIn(expected, text)
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"].get_object()["/Font"].get_object().values()
        }
        self.assertTrue(
            any("NotoSansCJKsc" in font for font in fonts),
            f"the Chinese text must be set in the report's CJK font, not drawn as boxes: {fonts}",
        )

    def test_acceptance_report_lists_the_assessment_and_the_group(self):
        project = self._approved_plan().project_id
        self._golive(project)
        acceptance = self._filed_acceptance(project)
        acceptance.with_user(self.dept_manager).write(
            {
                "member_ids": [
                    Command.create({"user_id": self.requester.id, "is_leader": True}),
                    Command.create({"user_id": self.colleague.id}),
                    Command.create({"user_id": self.requester_prod.id}),
                ]
            }
        )
        acceptance.with_user(self.dept_manager).action_start_assessment()
        for assessment in acceptance.assessment_ids:
            assessment.with_user(assessment.user_id).write(
                {"result": "pass", "comment": "现场核对无误"}
            )
        acceptance.with_user(self.requester).action_conclude()

        # Printed by a member from another department, who reads the acceptance
        # but neither the project nor the request.
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_user(self.requester_prod)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("lianghua_service.action_report_lianghua_acceptance", acceptance.ids)
        )
        text = re.sub(
            r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        )
        text = unicodedata.normalize("NFKC", text)
        for expected in (
            "ProjectAcceptanceReport",
            "Functionalitymeetstherequirements",
            "Usere",  # "User experience good", wrapped in its cell
            "Pass",
            "LhRequester(GroupLeader)",
            "LhColleague",
            "LhRequesterProd",
            "CRMMobile",
            "现场核对无误",
        ):
            self.assertIn(expected, text)
