package io.shoal.netem;

import java.net.InetSocketAddress;

/**
 * The socket side of one proxy: a TCP or UDP listener that forwards to the upstream through the proxy's toxics.
 * Started and stopped by the API thread; everything else runs on the transport's event loop.
 */
interface ProxyTransport {
    /**
     * Binds {@code listen} and starts forwarding to {@code upstream}; returns the address actually bound.
     *
     * @throws ApiException 500 with a one-line reason when the address cannot be bound (busy port, bad host)
     */
    InetSocketAddress start(InetSocketAddress listen, ProxyAddress upstream);

    /**
     * Points the running proxy at another upstream of the same protocol: existing connections or sessions are
     * dropped, as Toxiproxy's restart drops them, but the listening socket stays bound (no window in which another
     * process could take the port).
     */
    void changeUpstream(ProxyAddress upstream);

    /** Stops listening and drops every connection or session; waits until the sockets are closed. */
    void stop();

    /** Called on the API thread after the proxy's toxics changed, so the transport can react (close, rebuild). */
    void toxicsChanged();

    /** Counters since start, for tests and the CLI. */
    ProxyStats stats();

    /**
     * How late the proxy handed datagrams to the kernel against its link model's release times, since start or the
     * last reset ({@code reset} starts a new measurement after taking this one). UDP only: a TCP proxy reports
     * {@link LatenessSummary#EMPTY}.
     */
    default LatenessSummary lateness(boolean reset) {
        return LatenessSummary.EMPTY;
    }

    /**
     * The delay line's wake-up trace ({@link WakeupTrace}, {@code -Dshoal.netem.wakeTrace=true}): late wake-ups by
     * cause and the latest kept; empty when off or for TCP. {@code reset} starts over.
     */
    default String wakeups(boolean reset) {
        return "";
    }
}
