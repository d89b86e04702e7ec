/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * From the heat map to a risk (test_tour.py runs it as an IT user): the
 * cell of likely × major holds two risks; its list opens, then one of them.
 */
registry.category("web_tour.tours").add("lianghua_risk_heat_map", {
    steps: () => [
        {
            content: "The heat map counts four open risks (one raised by the alarm)",
            trigger: ".o_lianghua_heat_map h4:contains(4 open risks)",
        },
        {
            content: "The rare × negligible cell holds one, in the low level's colour",
            trigger: ".o_lianghua_heat_map_cell[data-count='1']",
        },
        {
            content: "The critical risks are listed beside the map",
            trigger: ".o_lianghua_heat_map_high li:contains(Migration scripts too slow)",
        },
        {
            content: "The schedule slip's alarm is listed among the open warnings",
            trigger: ".o_lianghua_heat_map_warnings li:contains(Schedule slip):contains(Alarm)",
        },
        {
            content: "Open the likely × major cell",
            trigger: ".o_lianghua_heat_map_cell[data-count='2']",
            run: "click",
        },
        {
            content: "Its two risks are listed",
            trigger: ".o_list_view .o_data_row:contains(Migration scripts too slow)",
        },
        {
            content: "Open the vendor's risk",
            trigger: ".o_list_view .o_data_row td:contains(Vendor loses two developers)",
            run: "click",
        },
        {
            content: "The matrix made it critical",
            trigger: ".o_form_view .o_field_widget[name=level_id]:contains(Critical)",
        },
        {
            content: "Open its description",
            trigger: ".o_notebook .nav-link:contains(Description)",
            run: "click",
        },
        {
            content: "Record the cause",
            trigger: ".o_field_widget[name=cause] textarea",
            run: "edit The vendor's contract ends in March.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
