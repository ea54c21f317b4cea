package org.jupyterhealth.exchange.admin.organization;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The organization types and their labels (docs/compatibility.md#organizations, {@code GET
 * /api/v1/organizations/types}).
 */
public final class OrganizationTypes {
    public static final Map<String, String> ALL;

    static {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("root", "ROOT");
        types.put("prov", "Healthcare Provider");
        types.put("dept", "Hospital Department");
        types.put("team", "Organizational team");
        types.put("govt", "Government");
        types.put("ins", "Insurance Company");
        types.put("pay", "Payer");
        types.put("edu", "Educational Institute");
        types.put("reli", "Religious Institution");
        types.put("crs", "Clinical Research Sponsor");
        types.put("cg", "Community Group");
        types.put("bus", "Non-Healthcare Business or Corporation");
        types.put("other", "Other");
        types.put("laboratory", "Laboratory");
        types.put("imaging", "Imaging Center");
        types.put("pharmacy", "Pharmacy");
        types.put("health-information-network", "Health Information Network");
        types.put("health-data-aggregator", "Health Data Aggregator");
        ALL = Collections.unmodifiableMap(types);
    }

    private OrganizationTypes() {
    }
}
