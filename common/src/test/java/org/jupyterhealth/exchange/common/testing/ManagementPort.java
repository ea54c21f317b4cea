package org.jupyterhealth.exchange.common.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;

/**
 * Where the service under test serves its health checks and metrics: the management interface, on a port of its
 * own (a free one in tests), never on the public port that RestAssured talks to by default.
 */
public final class ManagementPort {
    private ManagementPort() {
    }

    /** The URL of a management path such as {@code metrics} or {@code health/ready}. */
    public static String url(String path) {
        String root = TestHTTPResourceManager.getManagementUri();
        return (root.endsWith("/") ? root : root + "/") + path;
    }
}
