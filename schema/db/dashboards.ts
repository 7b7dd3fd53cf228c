// The dashboard layout each organization has arranged.
import { index, json, table, text } from "d1-schema-kit";
import { createdAt, textId, updatedAt } from "../_shared/columns.js";

export const dashboardLayouts = table(
  "dashboard_layouts",
  {
    organization_id: textId().references("organizations", "id", { onDelete: "cascade" }),
    layout_json: json("Array<Record<string, unknown>>").notNull().describe("The widgets and their grid positions."),
    updated_by: text().references("users", "id", { onDelete: "set null" }).describe("users.id of the last editor."),
    created_at: createdAt(),
    updated_at: updatedAt(),
  },
  {
    description: "The dashboard layout of each organization (one row per organization).",
    createdIn: "0078",
    indexes: [index("idx_dashboard_layouts_updated_by").on("updated_by")],
  },
);
