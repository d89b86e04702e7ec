/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * IT takes a ticket from the service desk's queue and starts on it
 * (test_monitoring_portal.py checks the ticket and its SLA afterwards).
 */
registry.category("web_tour.tours").add("lianghua_ticket_take", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "Operations",
            trigger: ".o_main_navbar button:contains(Operations)",
            run: "click",
        },
        {
            content: "The tickets",
            trigger: ".dropdown-item:contains(Tickets)",
            run: "click",
        },
        {
            content: "Open the new ticket from the queue",
            trigger: ".o_kanban_record:contains(Label printer offline)",
            run: "click",
        },
        {
            content: "Take it",
            trigger: ".o_form_view button[name=assign_to_me]",
            run: "click",
        },
        {
            content: "It is assigned to me",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name=assign_to_me]))",
        },
        {
            content: "Start working on it",
            trigger: ".o_statusbar_status button:contains(In Progress)",
            run: "click",
        },
        {
            content: "It is in progress",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(In Progress)",
        },
        {
            content: "and saved",
            trigger: ".o_form_saved",
        },
    ],
});
