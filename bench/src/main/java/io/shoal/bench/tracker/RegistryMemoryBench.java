package io.shoal.bench.tracker;

import io.shoal.tracker.registry.AnnounceReply;
import io.shoal.tracker.registry.PeerSink;
import io.shoal.tracker.registry.RegistryLimits;
import io.shoal.tracker.registry.SwarmRegistry;
import io.shoal.tracker.wire.AnnounceRequest;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap cost of tracked peers: fills a {@link SwarmRegistry} with distinct IPv4 peers spread over a number of
 * torrents and reads heap used after full garbage collections at each step. Prints the bytes per peer from the start
 * and the marginal bytes per peer beyond the first million (the target is at most 64).
 */
public final class RegistryMemoryBench {
    private RegistryMemoryBench() {
    }

    /** Runs the measurement, printing one line per step of {@code step} peers up to {@code maxPeers}. */
    public static void run(long maxPeers, long step, int torrents) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        RegistryLimits limits = new RegistryLimits(torrents * 2, maxPeers * 2, Integer.MAX_VALUE, 3600, 86_400, 0,
            0);
        long baseline = usedAfterGc(memory);
        SwarmRegistry registry = new SwarmRegistry(limits, null, 1);
        AnnounceRequest r = new AnnounceRequest();
        AnnounceReply reply = new AnnounceReply();
        PeerSink none = new PeerSink() {
            @Override
            public void peer4(long ipPort) {
            }

            @Override
            public void peer6(long high, long low, int port) {
            }
        };
        r.numwant = 0;
        r.port = 6881;
        long atMillion = -1;
        System.out.println("peers      torrents  heap MiB  bytes/peer  marginal bytes/peer beyond 1M");
        for (long added = 0; added < maxPeers; ) {
            long target = Math.min(maxPeers, added + step);
            for (; added < target; added++) {
                int t = (int) (added % torrents);
                r.infoHash[0] = (byte) t;
                r.infoHash[1] = (byte) (t >>> 8);
                r.infoHash[2] = (byte) (t >>> 16);
                r.ipv4 = (int) (added / torrents) + 0x0A000000;
                r.left = added & 1;
                registry.announce(r, 1, true, false, none, reply);
            }
            long used = usedAfterGc(memory) - baseline;
            if (added == 1_000_000) {
                atMillion = used;
            }
            String marginal = atMillion >= 0 && added > 1_000_000
                ? String.format(Locale.ROOT, "%.1f", (used - atMillion) / (double) (added - 1_000_000)) : "-";
            System.out.printf(Locale.ROOT, "%-10d %-9d %-9.1f %-11.1f %s%n", registry.peers(), registry.torrents(),
                used / 1048576.0, used / (double) registry.peers(), marginal);
        }
        if (registry.peers() != maxPeers) {
            throw new IllegalStateException("registry holds " + registry.peers() + " peers, expected " + maxPeers);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
