package io.shoal.tracker.wire;

/** The announce {@code event}, numbered as in BEP 15 (HTTP uses the names, BEP 3). */
public enum AnnounceEvent {
    NONE(0, ""), COMPLETED(1, "completed"), STARTED(2, "started"), STOPPED(3, "stopped");

    private static final AnnounceEvent[] BY_CODE = values();

    private final int udpCode;
    private final String httpName;

    AnnounceEvent(int udpCode, String httpName) {
        this.udpCode = udpCode;
        this.httpName = httpName;
    }

    /** The BEP 15 code (0 none, 1 completed, 2 started, 3 stopped). */
    public int udpCode() {
        return udpCode;
    }

    /** The BEP 3 {@code event} value; empty for {@link #NONE}. */
    public String httpName() {
        return httpName;
    }

    /** The event for a BEP 15 code, or {@code null} when the code is unknown. */
    public static AnnounceEvent ofUdpCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
