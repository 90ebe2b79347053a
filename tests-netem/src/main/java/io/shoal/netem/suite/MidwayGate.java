package io.shoal.netem.suite;

import java.util.concurrent.Executor;

/**
 * Holds a bulk sender at half its payload until the scenario's mid-transfer toxics are in place, so a blackout or a
 * NAT rebinding always meets a transfer in flight. Without it a fast transfer could deliver everything between the
 * receiver's one-third signal ({@link ScenarioContext#midway()}) and the toxic being added through the HTTP API, and
 * the rebinding would never be exercised. The receiver signals the midpoint at a third, before the sender's hold at
 * half, so the hold always ends. Profiles without mid-transfer toxics never hold. Create and use it on the sender's
 * one thread ({@code loop}).
 */
final class MidwayGate {
    private final int total;
    private final int holdAt;
    private boolean released;

    /**
     * @param ctx   the scenario (its profile and its {@link ScenarioContext#midwayDone()})
     * @param total the payload's length in bytes
     * @param loop  the sender's thread, where {@code feed} runs again once released
     * @param feed  the sender's feed step (sends what {@link #sendableEnd()} allows)
     */
    MidwayGate(ScenarioContext ctx, int total, Executor loop, Runnable feed) {
        this.total = total;
        this.holdAt = ctx.profile().midway().isEmpty() ? total : total / 2;
        ctx.midwayDone().thenRunAsync(() -> {
            released = true;
            feed.run();
        }, loop);
    }

    /** The offset the sender may send up to now: half the payload until the toxics are in place, then all of it. */
    int sendableEnd() {
        return released ? total : holdAt;
    }
}
