/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * A vendor's contact opens its contracts from the portal home, then the
 * signed contract with its payments and the breach notified to it
 * (test_portal.py builds the data).
 */
registry.category("web_tour.tours").add("lianghua_contract_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the contracts from the portal home",
            trigger: "a[href='/my/contracts']:contains(Contracts)",
            run: "click",
        },
        {
            content: "The vendor's contract is listed; another vendor's is not",
            trigger: ".o_portal_my_doc_table:not(:contains(Other vendor's works))",
        },
        {
            content: "Open the contract",
            trigger: ".o_portal_my_doc_table tr:contains(Portal ERP rollout) a",
            run: "click",
        },
        {
            content: "Its payments",
            trigger: "#lianghua_contract_payments td:contains(Advance)",
        },
        {
            content: "The breach notified to the vendor",
            trigger: "#lianghua_contract_breaches td:contains(Go-live two days late.)",
        },
        {
            content: "The printable contract can be downloaded",
            trigger: "a#lianghua_contract_download[href*='report_type=pdf']",
        },
    ],
});
