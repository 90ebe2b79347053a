package io.shoal.rudp.sim;

import io.netty.buffer.ByteBuf;
import io.shoal.rudp.kcp.InputResult;
import io.shoal.rudp.kcp.KcpEngine;
import io.shoal.rudp.kcp.KcpEvent;
import io.shoal.rudp.kcp.KcpState;

/**
 * Puts a {@link KcpEngine} and its {@link KcpSimApp} on a {@link SimPair}. Inputs go to the engine, then the app runs
 * (it reads what arrived and refills the send queue); every timer runs the app first, so what it queues leaves in
 * the same flush. The engine's events are drained after every call and passed to the app. Owns the engine: {@link #close()}
 * closes it.
 */
public final class KcpSimEndpoint implements SimEndpoint {
    private final KcpEngine engine;
    private final KcpSimApp app;
    private long rejectedDatagrams;
    private boolean linkDead;

    public KcpSimEndpoint(final KcpEngine engine, final KcpSimApp app) {
        this.engine = engine;
        this.app = app;
    }

    public KcpEngine engine() {
        return engine;
    }

    public KcpSimApp app() {
        return app;
    }

    /** Datagrams the engine refused (any {@link InputResult} but {@code ACCEPTED}). */
    public long rejectedDatagrams() {
        return rejectedDatagrams;
    }

    /** True once the engine reported {@link KcpEvent#LINK_DEAD}. */
    public boolean linkDead() {
        return linkDead;
    }

    @Override
    public void handleDatagram(final long nowNs, final ByteBuf datagram) {
        if (engine.handleDatagram(nowNs, datagram) != InputResult.ACCEPTED) {
            rejectedDatagrams++;
        }
        drainEvents(nowNs);
        app.onWake(nowNs, engine);
        drainEvents(nowNs);
    }

    @Override
    public void handleTimeout(final long nowNs) {
        app.onWake(nowNs, engine); // every timer wakes the app: it refills the queue just before the flush
        if (engine.state() != KcpState.CLOSED) {
            engine.handleTimeout(nowNs);
        }
        drainEvents(nowNs);
    }

    @Override
    public int pollTransmit(final long nowNs, final ByteBuf out) {
        return engine.state() == KcpState.CLOSED ? 0 : engine.pollTransmit(nowNs, out);
    }

    @Override
    public long nextDeadlineNs() {
        if (engine.state() != KcpState.CLOSED && engine.isIdle()) {
            engine.releaseIdleMemory(); // as SecureConnection does: idle engines give their buffers back
        }
        final long engineNs = engine.state() == KcpState.CLOSED ? NO_DEADLINE : engine.nextDeadlineNs();
        final long appNs = app.nextWakeNs();
        if (engineNs == NO_DEADLINE) {
            return appNs;
        }
        return appNs == NO_DEADLINE || engineNs - appNs <= 0 ? engineNs : appNs;
    }

    @Override
    public int maxDatagramBytes() {
        return engine.config().mtu();
    }

    /** Idle when the app is done and every segment it sent is acknowledged. */
    @Override
    public boolean isIdle() {
        return app.isDone() && (engine.state() != KcpState.OPEN || engine.waitSendSegments() == 0);
    }

    @Override
    public void close() {
        app.close();
        engine.close();
    }

    private void drainEvents(final long nowNs) {
        if (engine.state() == KcpState.CLOSED) {
            return;
        }
        KcpEvent event;
        while ((event = engine.pollEvent()) != null) {
            if (event == KcpEvent.LINK_DEAD) {
                linkDead = true;
            }
            app.onEvent(nowNs, event);
        }
    }
}
