from odoo import Command

from odoo.addons.lianghua_service.tests.common import LianghuaOperationsCommon


class LianghuaRiskCommon(LianghuaOperationsCommon):
    """The service suite's people and desk, the default scales, levels and
    categories of the policy, and projects of Sales and Production made
    directly (their plans are not what these tests are about)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.p = {n: ref(f"lianghua_risk.risk_probability_{n}") for n in range(1, 6)}
        cls.i = {n: ref(f"lianghua_risk.risk_impact_{n}") for n in range(1, 6)}
        cls.low = ref("lianghua_risk.risk_level_low")
        cls.medium = ref("lianghua_risk.risk_level_medium")
        cls.high = ref("lianghua_risk.risk_level_high")
        cls.critical = ref("lianghua_risk.risk_level_critical")
        cls.cat_schedule = ref("lianghua_risk.risk_category_schedule")
        cls.cat_technical = ref("lianghua_risk.risk_category_technical")
        cls.cat_security = ref("lianghua_risk.risk_category_security")
        cls.project_sales, cls.project_prod = cls._projects(2)

    @classmethod
    def _projects(cls, count, start=0):
        """Projects carrying requests of Sales (index 0) and Production, with
        a project manager (the IT user) on their team."""
        Request = cls.env["lianghua.request"]
        indexes = range(start, start + count)
        sales = Request.with_user(cls.requester).create(
            [cls._request_vals(cls) for index in indexes if index == 0]
        )
        production = Request.with_user(cls.requester_prod).create(
            [cls._request_vals(cls) for index in indexes if index != 0]
        )
        requests = (sales | production).with_env(cls.env)
        return cls.env["project.project"].create(
            [
                {
                    "name": f"Project {index}",
                    "lianghua_request_id": request.id,
                    "company_id": cls.env.company.id,
                    "user_id": cls.it_user.id,
                    "privacy_visibility": "followers",
                    "lianghua_member_ids": [
                        Command.create({"user_id": cls.it_user.id, "role": "project_manager"})
                    ],
                }
                for index, request in zip(indexes, requests, strict=True)
            ]
        )

    def _risk(self, project=None, probability=3, impact=3, user=None, **vals):
        return (
            self.env["lianghua.risk"]
            .with_user(user or self.it_user)
            .create(
                {
                    "title": "Key user unavailable for testing",
                    "project_id": (project or self.project_sales).id,
                    "category_id": self.cat_schedule.id,
                    "probability_id": self.p[probability].id,
                    "impact_id": self.i[impact].id,
                    **vals,
                }
            )
        )
