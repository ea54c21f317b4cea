package org.jupyterhealth.exchange.admin.setting;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;

import io.smallrye.mutiny.Uni;

/** Reads an app-link association file from its setting. */
@ApplicationScoped
public class AppLinks {
    /** The setting whose JSON value is {@code /.well-known/apple-app-site-association}. */
    public static final String APPLE = "app_links.apple_app_site_association";
    /** The setting whose JSON value is {@code /.well-known/assetlinks.json}. */
    public static final String ANDROID = "app_links.android_asset_links";

    /**
     * Phones and their vendors' caches fetch these files at install time and now and then after; five minutes keeps
     * the exchange from answering each fetch while a changed setting still shows soon.
     */
    private static final CacheControl CACHING = CacheControl.valueOf("public, max-age=300");

    private final SettingRepository settings;

    public AppLinks(SettingRepository settings) {
        this.settings = settings;
    }

    /** The setting's value as the file; 404 when the setting is missing or holds no JSON object or list. */
    Uni<Response> file(String key) {
        return settings.findByKey(key).map(setting -> {
            String json = setting == null || setting.resolvedValue() == null ? null
                    : setting.resolvedValue().json();
            if (json == null || !(json.startsWith("{") || json.startsWith("["))) {
                throw new NotFoundException("Not found.");
            }
            return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).cacheControl(CACHING).build();
        });
    }
}
