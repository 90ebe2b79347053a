package io.shoal.rudp.cc;

/**
 * Makes the congestion controller for one connection.
 *
 * <p>Each call returns a new controller: controllers keep per-connection state and are confined to the connection's
 * thread, so they are never shared.
 */
public final class CongestionControllers {

    private CongestionControllers() {
    }

    /**
     * A new controller of kind {@code cc} for a connection described by {@code params}.
     *
     * <ul>
     *   <li>{@link CongestionControl#KCP}: {@link KcpClassicController}, ikcp.c's own window, unpaced;</li>
     *   <li>{@link CongestionControl#NONE}: unlimited window, unpaced (KCP's {@code nc = 1});</li>
     *   <li>{@link CongestionControl#CUBIC}: RFC 9438 CUBIC with a pacing rate of 1.25 (2 in slow start) times
     *       {@code cwnd / srtt};</li>
     *   <li>{@link CongestionControl#BBR}: BBRv1-style model of bottleneck bandwidth and min RTT; loss alone does
     *       not lower its rate.</li>
     * </ul>
     */
    public static CongestionController create(CongestionControl cc, CcParams params) {
        // A switch expression with no default: a new CongestionControl constant fails the build here.
        return switch (cc) {
            case KCP -> new KcpClassicController(params);
            case NONE -> new NoCongestionController();
            case CUBIC -> new CubicController(params);
            case BBR -> new BbrController(params);
        };
    }
}
