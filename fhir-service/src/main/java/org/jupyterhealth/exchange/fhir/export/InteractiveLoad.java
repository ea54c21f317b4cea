package org.jupyterhealth.exchange.fhir.export;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The interactive requests this replica serves, as bulk export's pacing sees them ({@link ExportPacer}): every
 * request of the public HTTP server except bulk export's own (kick-offs, status polls, file downloads: a client
 * polling its export or fetching its files must not slow that export down). Counted from the moment the request
 * arrives until its answer is written or its connection is lost, on the server's router ahead of any route, so that
 * whatever the request turns out to be (a search, an upload, a refusal) it is counted. The management port
 * (health, metrics) is another server and is never counted.
 *
 * <p>The load is the most requests in flight at once within the last window, up to two windows back: clients that
 * send one request after another leave moments with none in flight between two, and an export that looked only at
 * that instant would run flat out beside them.
 */
@ApplicationScoped
public class InteractiveLoad {
    private final long windowNanos;
    private final LongSupplier clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong seen = new AtomicLong();
    private long windowStart;
    private int peak;
    private int previousPeak;

    @Inject
    public InteractiveLoad(ExportConfig config) {
        this(config.pacing().window(), System::nanoTime);
    }

    InteractiveLoad(Duration window, LongSupplier clock) {
        this.windowNanos = Math.max(1, window.toNanos());
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    void register(@Observes Router router) {
        // first of all routes; each request passes on at once
        router.route().order(Integer.MIN_VALUE).handler(this::count);
    }

    private void count(RoutingContext context) {
        if (interactive(context.request().path())) {
            begin();
            // called once, when the answer is written or the connection is lost before that
            context.addEndHandler(ended -> end());
        }
        context.next();
    }

    /** Whether a request of this path is interactive: anything but bulk export's own. */
    static boolean interactive(String path) {
        return path == null || !(path.contains("/_export") || path.contains("$export")
                || path.contains("%24export"));
    }

    /** An interactive request arrived. */
    public void begin() {
        int now = inFlight.incrementAndGet();
        seen.incrementAndGet();
        synchronized (this) {
            roll(clock.getAsLong());
            peak = Math.max(peak, now);
        }
    }

    /** An interactive request ended (answered or its connection lost). */
    public void end() {
        inFlight.decrementAndGet();
    }

    /** The most interactive requests in flight at once within the last window (or the one before it). */
    public synchronized int load() {
        roll(clock.getAsLong());
        return Math.max(inFlight.get(), Math.max(peak, previousPeak));
    }

    /** The interactive requests counted since the start (for tests and diagnostics). */
    public long seen() {
        return seen.get();
    }

    /** Starts a new window once the current one has passed; a window that passed with nothing in it counts none. */
    private void roll(long now) {
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) {
            return;
        }
        previousPeak = elapsed < 2 * windowNanos ? peak : 0;
        peak = inFlight.get();
        windowStart = now;
    }
}
