/** @odoo-module **/
/* The risk heat map: probability × impact, each cell in its level's colour
 * with the count of the open risks in it; a cell opens the list of its
 * risks. On one project (from its smart button) or on every project the
 * user sees (the menu). */
import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

export class RiskHeatMap extends Component {
    static template = "lianghua_risk.HeatMap";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ map: null });
        this.projectId = this.props.action.params?.project_id || false;
        onWillStart(() => this.load());
    }

    async load() {
        this.state.map = await this.orm.call("lianghua.risk", "get_heat_map", [], {
            project_id: this.projectId,
        });
    }

    textColor(hex) {
        // Dark text on light cells, white on dark ones (perceived luminance).
        const value = parseInt((hex || "#ffffff").slice(1), 16);
        const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
        return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#212529" : "#ffffff";
    }

    openRecord(model, id) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
        });
    }

    async openCell(cell) {
        const action = await this.orm.call("lianghua.risk", "action_heat_map_cell", [
            cell.probability_id,
            cell.impact_id,
            this.projectId,
        ]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("lianghua_risk.heat_map", RiskHeatMap);
