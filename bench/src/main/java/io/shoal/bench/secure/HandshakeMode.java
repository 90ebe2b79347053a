package io.shoal.bench.secure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of {@link HandshakeThroughputRun}: the Noise pattern (IK when the client pins the server's key, else XX),
 * whether the server demands a cookie round on every initiation, and whether the clients finish their side in the
 * timed part (always for XX, whose server needs message 3; for IK only in {@code IK+finish}).
 */
record HandshakeMode(String label, boolean pin, boolean cookies, boolean clientsFinish) {
    static final List<HandshakeMode> ALL = List.of(
            new HandshakeMode("IK", true, false, false),
            new HandshakeMode("IK+cookie", true, true, false),
            new HandshakeMode("IK+finish", true, false, true),
            new HandshakeMode("XX", false, false, true),
            new HandshakeMode("XX+cookie", false, true, true));

    /** @return the modes named in a comma list ({@code IK,XX}), or all for {@code all} */
    static List<HandshakeMode> parse(final String names) {
        if ("all".equalsIgnoreCase(names)) {
            return ALL;
        }
        final List<HandshakeMode> out = new ArrayList<>();
        for (String n : names.split(",")) {
            out.add(ALL.stream().filter(m -> m.label.toLowerCase(Locale.ROOT).equals(n.strip()
                    .toLowerCase(Locale.ROOT))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown mode " + n + "; modes: " + ALL)));
        }
        return out;
    }
}
