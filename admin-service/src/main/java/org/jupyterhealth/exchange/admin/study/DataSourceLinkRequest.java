package org.jupyterhealth.exchange.admin.study;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/** The body of {@code POST} and {@code DELETE /studies/{id}/data_sources}: the data source to link or unlink. */
@Schema(name = "DataSourceLinkRequest")
public record DataSourceLinkRequest(@Schema(required = true) Long dataSourceId) implements AdminRequest {
}
