/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * An external partner's engineer opens a ticket about a system from the
 * portal (test_monitoring_portal.py checks the ticket it leaves).
 */
registry.category("web_tour.tours").add("lianghua_portal_ticket", {
    url: "/my",
    steps: () => [
        {
            content: "Open a new ticket from the portal home",
            trigger: "button[name=create_new_ticket]",
            run: "click",
        },
        {
            content: "Only the systems shown in the portal are offered",
            trigger: "select[name=lianghua_system]:not(:has(option:contains(CRM)))",
        },
        {
            content: "Choose the system concerned",
            trigger: "select[name=lianghua_system]",
            run: "selectByLabel [ERP] ERP",
        },
        {
            content: "Say what is wrong",
            trigger: "input[name=subject]",
            run: "edit ERP interface to our WMS times out",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Stock transfers posted since 9:00 never reach the WMS.",
        },
        {
            content: "Submit",
            trigger: "button[type=submit]:contains(Submit Ticket)",
            run: "click",
        },
        {
            content: "The ticket page opens",
            trigger: "span:contains(ERP interface to our WMS times out)",
        },
    ],
});
