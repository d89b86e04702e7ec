"""People of a company's documents come from that company only.

One database, several companies: the evaluator of a request, the reviewers
of its approvals, its followers and its to-dos are people of the document's
company, whatever the configuration the companies share (a service type
without company, the default approval tiers).
"""

from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LianghuaServiceCommon


@tagged("post_install", "-at_install")
class TestCompanyPeople(LianghuaServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls._other_company()
        # A leader of the group, allowed in both companies: a leader of each.
        cls.leader_ab = cls._user("lh_leader_ab", "leader", cls.dept_board)
        cls.leader_ab.company_ids = [Command.link(cls.company_2.id)]

    @classmethod
    def _other_company(cls):
        """Another company, with its own department and people (as in
        test_access_matrix.py)."""
        cls.company_2 = cls.env["res.company"].create({"name": "Lianghua Other Co"})
        cls.dept_c2 = cls.env["hr.department"].create(
            {"name": "Other Co Sales", "company_id": cls.company_2.id}
        )
        people = {
            role: cls._user(f"lh_{role}_c2", role, cls.dept_c2, company=cls.company_2)
            for role in ("requester", "dept_manager", "it_user", "it_manager", "leader")
        }
        cls.requester_c2 = people["requester"]
        cls.manager_c2 = people["dept_manager"]
        cls.it_c2 = people["it_user"]
        cls.it_manager_c2 = people["it_manager"]
        cls.leader_c2 = people["leader"]
        cls.dept_c2.manager_id = cls.manager_c2.with_company(cls.company_2).employee_ids

    @contextmanager
    def _people_of_company_2(self):
        """The helpers of tests/common.py act as the other company's people."""
        self.requester = self.requester_c2
        self.dept_manager = self.manager_c2
        self.it_user = self.it_c2
        self.leader = self.leader_c2
        try:
            yield
        finally:
            for role in ("requester", "dept_manager", "it_user", "leader"):
                delattr(self, role)

    def assertPeopleOf(self, company, document):
        """Followers, to-dos and reviewers of ``document`` work for ``company``."""
        document = document.sudo()  # the users' companies, whoever looks
        document.invalidate_recordset()
        people = (
            document.message_partner_ids.user_ids
            | document.activity_ids.user_id
            | document.review_ids.reviewer_ids
        )
        self.assertTrue(people)
        strangers = people.filtered(lambda user: company not in user.company_ids)
        self.assertFalse(strangers, f"people of another company on {document.display_name}")

    def _submitted_urgent_request_of_company_2(self):
        with self._people_of_company_2():
            request = self._submitted_urgent_request()
        self.assertEqual(request.company_id, self.company_2)
        return request

    # The service type's IT contact

    def test_a_shared_service_type_has_an_it_contact_per_company(self):
        service_type = self.service_type.with_user(self.it_manager_c2)
        service_type.it_user_id = self.it_c2

        self.assertEqual(self.service_type.with_company(self.company_2).it_user_id, self.it_c2)
        self.assertEqual(self.service_type.with_company(self.company_a).it_user_id, self.it_user)
        # Only a user allowed in the company is its IT contact.
        with self.assertRefused(UserError, "IT Contact"):
            service_type.it_user_id = self.it_user
        self.assertEqual(self.service_type.with_company(self.company_2).it_user_id, self.it_c2)

    def test_the_evaluator_of_a_request_works_for_its_company(self):
        # The first company's IT contact is not the second company's evaluator.
        request = self._create_request(user=self.requester_c2)
        self.assertEqual(request.company_id, self.company_2)
        self.assertFalse(request.evaluator_id)
        request.with_user(self.requester_c2).action_submit()
        self.assertEqual(request.state, "to_evaluate")
        self.assertFalse(request.activity_ids, "no to-do for the first company's IT")
        # Nor may IT name them by hand.
        with self.assertRefused(UserError, "Evaluator"):
            request.with_user(self.it_c2).write({"evaluator_id": self.it_user.id})
        request.with_user(self.it_c2).action_start_evaluation()
        self.assertEqual(request.evaluator_id, self.it_c2)

        # Once the second company names its own IT contact, it evaluates.
        self.service_type.with_user(self.it_manager_c2).it_user_id = self.it_c2
        request = self._create_request(user=self.requester_c2)
        self.assertEqual(request.evaluator_id, self.it_c2)
        request.with_user(self.requester_c2).action_submit()
        self.assertEqual(request.activity_ids.user_id, self.it_c2)
        self.assertPeopleOf(self.company_2, request)
        # The first company's requests keep the first company's contact.
        self.assertEqual(self._create_request().evaluator_id, self.it_user)

    # Approvals

    def test_urgent_request_goes_to_the_leaders_of_its_company(self):
        request = self._submitted_urgent_request_of_company_2()

        self.assertRecordValues(
            request.review_ids,
            [
                {
                    "company_id": self.company_2.id,
                    "reviewer_ids": (self.leader_c2 | self.leader_ab).ids,
                    "status": "pending",
                }
            ],
        )
        self.assertPeopleOf(self.company_2, request)
        # The first company's leader is neither told nor asked.
        Message = self.env["mail.message"].with_user(self.leader)
        self.assertFalse(
            Message.search([("model", "=", request._name), ("res_id", "=", request.id)])
        )
        with self.assertRaises(AccessError):
            request.with_user(self.leader).validate_tier()

        # The first company's urgent requests go to its own leaders.
        own = self._submitted_urgent_request()
        self.assertEqual(own.review_ids.company_id, self.company_a)
        self.assertEqual(own.review_ids.reviewer_ids, self.leader | self.leader_ab)

        self._review(request, self.leader_c2, comment="Go ahead.")
        self.assertEqual(request.state, "to_evaluate")
        self.assertPeopleOf(self.company_2, request)

    def test_plan_is_reviewed_by_the_people_of_its_company(self):
        with self._people_of_company_2():
            plan = self._draft_plan()
            plan.action_submit()

        reviews = plan.review_ids.sorted("sequence")
        self.assertRecordValues(
            reviews,
            [
                {"company_id": self.company_2.id, "reviewer_ids": self.manager_c2.ids},
                {
                    "company_id": self.company_2.id,
                    "reviewer_ids": (self.leader_c2 | self.leader_ab).ids,
                },
            ],
        )
        self.assertPeopleOf(self.company_2, plan)
        self._review(plan, self.manager_c2, comment="The department agrees.")
        self.assertPeopleOf(self.company_2, plan)

    def test_a_company_without_its_own_approver_is_told_so(self):
        company_3 = self.env["res.company"].create({"name": "Lianghua Third Co"})
        department = self.env["hr.department"].create(
            {"name": "Third Co Sales", "company_id": company_3.id}
        )
        requester = self._user("lh_requester_c3", "requester", department, company=company_3)
        request = self._create_request(
            user=requester, urgency="urgent", urgency_reason="Trade fair next month."
        )

        with self.assertRefused(UserError, "Nobody of Lianghua Third Co can approve"):
            request.with_user(requester).action_submit()
        self.assertRecordValues(request, [{"state": "draft", "review_ids": []}])

    # Reading reviews

    def test_reviews_are_read_in_their_company_only(self):
        theirs = self._submitted_urgent_request_of_company_2().review_ids
        ours = self._submitted_urgent_request().review_ids
        Review = self.env["tier.review"]
        lianghua = [("model", "=", "lianghua.request")]

        self.assertEqual(Review.with_user(self.leader).search(lianghua), ours)
        with self.assertRaises(AccessError):
            theirs.with_user(self.leader).read(["status"])
        self.assertEqual(Review.with_user(self.leader_c2).search(lianghua), theirs)

        # A user of both companies reads a company's reviews when it is active.
        for companies, reviews in (
            (self.company_a, ours),
            (self.company_2, theirs),
            (self.company_a | self.company_2, ours | theirs),
        ):
            both = Review.with_user(self.leader_ab).with_context(allowed_company_ids=companies.ids)
            self.assertEqual(both.search(lianghua), reviews)
            self.assertEqual(both.search([("company_id", "in", companies.ids)]), reviews)
        with self.assertRaises(AccessError):
            theirs.with_user(self.leader_ab).with_context(
                allowed_company_ids=self.company_a.ids
            ).read(["status"])
