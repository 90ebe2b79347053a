package io.shoal.bench.secure;

import java.util.Arrays;

/**
 * {@code bench/run secure handshakes [count] [runs] [workers] [peers] [modes]} ({@link HandshakeThroughputRun}),
 * {@code bench/run secure handshake-cpu [count] [runs]} ({@link HandshakeRateRun}),
 * {@code bench/run secure idle-cpu [connections] [seconds] [runs]} ({@link IdleMessageCostRun}) or
 * {@code bench/run secure idle [connections] [seconds]} ({@link IdleConnectionsRun}).
 */
public final class SecureBenchMain {
    private static final String USAGE = "usage: bench/run secure handshakes [count] [runs] [workers] [peers] [modes]"
            + " | handshake-cpu [count] [runs] | idle [connections] [seconds] [cipher]"
            + " | idle-cpu [connections] [seconds] [runs] [cipher]";

    private SecureBenchMain() {
    }

    /** @return the process exit code: 0, or 2 for a usage error */
    public static int run(final String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println(USAGE);
            return 2;
        }
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if ("handshakes".equals(args[0])) {
            HandshakeThroughputRun.main(rest);
            return 0;
        }
        if ("handshake-cpu".equals(args[0])) {
            HandshakeRateRun.main(rest);
            return 0;
        }
        if ("idle-cpu".equals(args[0])) {
            IdleMessageCostRun.main(rest);
            return 0;
        }
        if ("idle".equals(args[0])) {
            IdleConnectionsRun.main(rest);
            return 0;
        }
        System.err.println(USAGE);
        return 2;
    }
}
