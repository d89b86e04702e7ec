/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * The owner of an indicator entered by hand records the month's value with
 * its evidence (test_tour.py checks the value it leaves).
 */
registry.category("web_tour.tours").add("lianghua_indicator_enter_value", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("lianghua_service.lianghua_service_menu_root", "Open Lianghua Services"),
        {
            content: "The indicators",
            trigger: ".o_main_navbar a:contains(Indicators), .o_main_navbar button:contains(Indicators)",
            run: "click",
        },
        {
            content: "Enter a value",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "Of the training indicator",
            trigger: ".o_field_widget[name=indicator_id] input",
            run: "edit Training",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Training hours)",
            run: "click",
        },
        {
            content: "For the department",
            trigger: ".o_field_widget[name=department_id] input",
            run: "edit Sales",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Sales)",
            run: "click",
        },
        {
            content: "In November",
            trigger: ".o_field_widget[name=date_start] input",
            run: "edit 11/17/2026",
        },
        {
            content: "The hours",
            trigger: ".o_field_widget[name=value] input",
            run: "edit 12",
        },
        {
            content: "With its evidence",
            trigger: ".o_field_widget[name=comment] textarea",
            run: "edit Sign-in sheets of the two CRM sessions",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, for the whole month",
            trigger: ".o_form_view .o_field_widget[name=date_end]:contains(11/30/2026)",
        },
    ],
});
