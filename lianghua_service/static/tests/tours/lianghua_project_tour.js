/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * A solution plan is reviewed by the requesting department's manager, then
 * approved by a company leader; later, the leader of the acceptance group
 * assesses the delivery and concludes (test_tour.py runs them as their users).
 */
function reviewPlan(comment, expectedStatus) {
    return [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "Open the plans to review",
            trigger: ".o_menu_sections button:contains(Plans), .o_menu_sections a:contains(Plans)",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lianghua_service.lianghua_plan_menu_to_review']",
            run: "click",
        },
        {
            content: "Open the plan",
            trigger: ".o_data_row .o_data_cell:contains(CRM mobile client)",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .alert button[name=validate_tier]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] input",
            run: `edit ${comment}`,
        },
        {
            trigger: ".modal button[name=add_comment]",
            run: "click",
        },
        {
            content: "The decision is saved: nothing left for me to approve",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(button[name=validate_tier]))",
        },
        {
            content: "The plan moves on",
            trigger: `.o_statusbar_status button.o_arrow_button_current:contains(${expectedStatus})`,
        },
    ];
}

registry.category("web_tour.tours").add("lianghua_plan_department_review", {
    url: "/odoo",
    steps: () => reviewPlan("The department agrees.", "Under Review"),
});

registry.category("web_tour.tours").add("lianghua_plan_leader_approval", {
    url: "/odoo",
    steps: () => reviewPlan("Approved.", "Approved"),
});

registry.category("web_tour.tours").add("lianghua_acceptance_assess_and_conclude", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "Open my assessments",
            trigger: ".o_menu_sections button:contains(Acceptance), .o_menu_sections a:contains(Acceptance)",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lianghua_service.lianghua_acceptance_assessment_menu']",
            run: "click",
        },
        ...[1, 2, 3, 4].flatMap((row) => [
            {
                content: `Assess criterion ${row}`,
                trigger: `.o_data_row:nth-child(${row}) .o_data_cell[name=result]`,
                run: "click",
            },
            {
                trigger: `.o_data_row:nth-child(${row}).o_selected_row .o_field_widget[name=result] select`,
                run: "selectByLabel Pass",
            },
        ]),
        {
            content: "Save the assessments",
            trigger: ".o_list_button_save",
            run: "click",
        },
        {
            trigger: ".o_list_view:not(:has(.o_selected_row))",
        },
        {
            content: "Open the acceptances",
            trigger: ".o_menu_sections button:contains(Acceptance), .o_menu_sections a:contains(Acceptance)",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lianghua_service.lianghua_acceptance_menu']",
            run: "click",
        },
        {
            trigger: ".o_data_row .o_data_cell:contains(Under Assessment)",
            run: "click",
        },
        {
            content: "Conclude as the group's leader",
            trigger: ".o_form_view button[name=action_conclude]",
            run: "click",
        },
        {
            content: "The delivery is accepted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Passed)",
        },
    ],
});
