/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * The budget of a project, from its draft to its approval (test_tour.py runs
 * the first tour as an IT user on the project's form, the second as finance).
 *
 * The grid's columns are the cost categories in their sequence (Personnel,
 * Equipment, Software Licences, Outsourced Services, Other, Contingency
 * Reserve) after the column of the phases, its rows the phases.
 */
function gridCell(phase, column) {
    return `.o_field_x2many_2d_matrix tbody tr:has(td:first-child:contains(${phase})) td:nth-child(${column}) input`;
}

const PERSONNEL = 2;
const EQUIPMENT = 3;
const OUTSOURCING = 5;

registry.category("web_tour.tours").add("lianghua_cost_budget_draft", {
    steps: () => [
        {
            content: "The project's smart buttons overflow: open the rest",
            trigger: ".o_form_view .o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Draft the budget from the project's solution plan",
            trigger: ".o-dropdown--menu button[name=action_lianghua_draft_budget]",
            run: "click",
        },
        {
            content: "The plan's personnel of the development phase is in its cell",
            trigger: `${gridCell("Development", PERSONNEL)}:value(120,000.00)`,
        },
        {
            content: "Servers for the development",
            trigger: gridCell("Development", EQUIPMENT),
            run: "edit 50000 && press Tab",
        },
        {
            content: "The integrator for the implementation",
            trigger: gridCell("Implementation", OUTSOURCING),
            run: "edit 30000 && press Tab",
        },
        {
            content: "Support staff for the operation",
            trigger: gridCell("Operation and Maintenance", PERSONNEL),
            run: "edit 8000 && press Tab",
        },
        {
            content: "The grid adds the phase up",
            trigger: ".o_field_x2many_2d_matrix tbody tr:has(td:first-child:contains(Development)) td.row-total:contains(182,000.00)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the budget is the sum of its cells",
            trigger: ".o_form_saved .o_field_widget[name=amount_total]:contains(220,000.00)",
        },
        {
            content: "Submit it for approval",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "Finance has it to approve",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(In Approval)",
        },
    ],
});

registry.category("web_tour.tours").add("lianghua_cost_budget_approve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_cost.lianghua_cost_menu_root", "Open Project Costs"),
        {
            content: "The budgets waiting for my approval",
            trigger: ".o_menu_sections a[data-menu-xmlid='lianghua_cost.lianghua_cost_budget_menu_to_review'], .o_menu_sections button:contains(To Approve)",
            run: "click",
        },
        {
            content: "Open the budget",
            trigger: ".o_data_row .o_data_cell:contains(CRM mobile client)",
            run: "click",
        },
        {
            content: "The cells entered by IT",
            trigger: ".o_field_x2many_2d_matrix tfoot .col-total:contains(220,000.00)",
        },
        {
            content: "Read the budget against the actual costs",
            trigger: ".o_notebook .nav-link:contains(Budget vs Actual)",
            run: "click",
        },
        {
            content: "Every cell, nothing committed or spent yet",
            trigger: ".o_field_widget[name=line_ids] .o_list_table:has(.o_data_row:nth-child(18)) tfoot:contains(220,000.00)",
        },
        {
            trigger: ".o_field_widget[name=remaining_total]:contains(220,000.00)",
        },
        {
            content: "Approve the budget",
            trigger: ".o_form_view .alert button[name=validate_tier]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] input",
            run: "edit Within the plan.",
        },
        {
            trigger: ".modal button[name=add_comment]",
            run: "click",
        },
        {
            content: "Approved",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(Approved)",
        },
    ],
});
