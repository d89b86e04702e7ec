/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * Legal reviews a contract in its form: a comment on the breach clause, then
 * the approval with its comment (test_tour.py runs it as the legal user).
 */
registry.category("web_tour.tours").add("lianghua_contract_legal_review", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_contract.lianghua_contract_menu_root", "Open the contracts"),
        {
            content: "The contracts waiting for my review",
            trigger: ".o_menu_sections a[data-menu-xmlid='lianghua_contract.lianghua_contract_menu_to_review'], .o_menu_sections button:contains(To Review)",
            run: "click",
        },
        {
            content: "Open the contract",
            trigger: ".o_data_row .o_data_cell:contains(ERP implementation)",
            run: "click",
        },
        {
            content: "Read its review page",
            trigger: ".o_notebook .nav-link:contains(Legal Review)",
            run: "click",
        },
        {
            content: "Comment on a clause",
            trigger: "button[name=action_add_review_note]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=section_id] input",
            run: "edit Breach",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Breach Liability)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Cap the penalties at 10% of the fee.",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary:contains(Save)",
            run: "click",
        },
        {
            content: "The comment is listed on the contract",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=lianghua_review_note_ids] .o_data_cell:contains(Cap the penalties)",
        },
        {
            content: "Approve the contract",
            trigger: ".o_form_view .alert button[name=validate_tier]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] input",
            run: "edit Lawful; the cap is noted.",
        },
        {
            trigger: ".modal button[name=add_comment]",
            run: "click",
        },
        {
            content: "Reviewed: the contract can be signed",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(To Sign)",
        },
    ],
});
