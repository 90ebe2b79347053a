package io.shoal.rudp.sim;

import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;

/** Several {@link KcpSimApp}s on one engine (e.g. a sender and a receiver for traffic both ways), woken in order. */
public final class CompositeApp implements KcpSimApp {
    private final KcpSimApp[] apps;

    public CompositeApp(final KcpSimApp... apps) {
        this.apps = apps.clone();
    }

    @Override
    public void onWake(final long nowNs, final KcpEngine engine) {
        for (final KcpSimApp app : apps) {
            app.onWake(nowNs, engine);
        }
    }

    @Override
    public long nextWakeNs() {
        long next = SimEndpoint.NO_DEADLINE;
        for (final KcpSimApp app : apps) {
            final long t = app.nextWakeNs();
            if (t != SimEndpoint.NO_DEADLINE && (next == SimEndpoint.NO_DEADLINE || t - next < 0)) {
                next = t;
            }
        }
        return next;
    }

    @Override
    public void onEvent(final long nowNs, final KcpEvent event) {
        for (final KcpSimApp app : apps) {
            app.onEvent(nowNs, event);
        }
    }

    @Override
    public boolean isDone() {
        for (final KcpSimApp app : apps) {
            if (!app.isDone()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (final KcpSimApp app : apps) {
            app.close();
        }
    }
}
