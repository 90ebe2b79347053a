package io.shoal.rudp.cc;

/** Makes the controller for a connection. */
public final class CongestionControllers {
    private CongestionControllers() {
    }

    public static CongestionController create(CongestionControl cc, CcParams params) {
        switch (cc) {
            case KCP:
                return new KcpClassicController(params);
            case NONE:
                return new NoCongestionController();
            default:
                throw new IllegalArgumentException("not available yet: " + cc);
        }
    }
}
