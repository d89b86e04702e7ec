/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * A business user files an urgent request from the Lianghua app; a company
 * leader then approves it (test_tour.py runs both, as two users).
 */
registry.category("web_tour.tours").add("lianghua_request_urgent_file", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "My Requests is the first screen: create a request",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Say what is needed",
            trigger: ".o_field_widget[name=title] input",
            run: "edit Trade fair registration app",
        },
        {
            content: "It is urgent",
            trigger: ".o_field_widget[name=urgency] input[data-value=urgent]",
            run: "click",
        },
        {
            content: "Explain why it is urgent",
            trigger: ".o_field_widget[name=urgency_reason] textarea",
            run: "edit The fair opens in three weeks.",
        },
        {
            content: "Choose the service type",
            trigger: ".o_field_widget[name=service_type_id] input",
            run: "edit Digital Marketing",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Digital Marketing)",
            run: "click",
        },
        {
            content: "Set the time requirement",
            trigger: ".o_field_widget[name=date_required] input",
            run: "edit 12/31/2099 && press Escape",
        },
        {
            trigger: ".o_field_widget[name=background] textarea",
            run: "edit Registrations are taken on paper at the booth.",
        },
        {
            trigger: ".o_field_widget[name=expected_goal] textarea",
            run: "edit 500 online registrations before the fair.",
        },
        {
            content: "Describe the need",
            trigger: ".o_field_widget[name=description] .odoo-editor-editable",
            run: "editor A mini program to register visitors and book meetings.",
        },
        {
            content: "Submit it",
            trigger: ".o_form_view button[name=action_submit]",
            run: "click",
        },
        {
            content: "The request now waits for a leader's approval",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Waiting Approval)",
        },
    ],
});

registry.category("web_tour.tours").add("lianghua_request_urgent_approve", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "Open the requests waiting for approval",
            trigger: ".o_menu_sections button:contains(Requests), .o_menu_sections a:contains(Requests)",
            run: "click",
        },
        {
            trigger: ".dropdown-item[data-menu-xmlid='lianghua_service.lianghua_request_menu_to_approve']",
            run: "click",
        },
        {
            content: "Open the urgent request",
            trigger: ".o_data_row .o_data_cell:contains(Trade fair registration app)",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: ".o_form_view .alert button[name=validate_tier]",
            run: "click",
        },
        {
            content: "Leave the approval comment",
            trigger: ".modal .o_field_widget[name=comment] input",
            run: "edit Approved: the fair is a priority this quarter.",
        },
        {
            trigger: ".modal button[name=add_comment]",
            run: "click",
        },
        {
            content: "Approved, the request goes to IT for evaluation",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(To Evaluate)",
        },
    ],
});
