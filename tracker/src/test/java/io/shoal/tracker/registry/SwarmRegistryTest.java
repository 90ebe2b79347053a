package io.shoal.tracker.registry;

import io.shoal.tracker.wire.AnnounceEvent;
import io.shoal.tracker.wire.AnnounceRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmRegistryTest {
    private static final int NOW = 100;
    private final AnnounceReply reply = new AnnounceReply();

    static AnnounceRequest request(int hashSeed, int ip, int port, long left) {
        AnnounceRequest r = new AnnounceRequest();
        r.infoHash[0] = (byte) hashSeed;
        r.infoHash[19] = (byte) (hashSeed >>> 8);
        r.ipv4 = ip;
        r.port = port;
        r.left = left;
        return r;
    }

    static final class Collect implements PeerSink {
        final List<Long> v4 = new ArrayList<>();
        final List<Integer> v6Ports = new ArrayList<>();

        @Override
        public void peer4(long ipPort) {
            v4.add(ipPort);
        }

        @Override
        public void peer6(long high, long low, int port) {
            v6Ports.add(port);
        }
    }

    private static SwarmRegistry registry(int maxTorrents, long maxPeers, int perSwarm) {
        return new SwarmRegistry(new RegistryLimits(maxTorrents, maxPeers, perSwarm, 60, 600, 50, 100), null, 7);
    }

    @Test
    void shouldCountSeedersLeechersAndCompletedWhenPeersAnnounce() {
        SwarmRegistry reg = registry(10, 100, 100);
        reg.announce(request(1, 0x0A000001, 1000, 5), NOW, true, false, new Collect(), reply);
        reg.announce(request(1, 0x0A000002, 1000, 0), NOW, true, false, new Collect(), reply);
        AnnounceRequest done = request(1, 0x0A000001, 1000, 0);
        done.event = AnnounceEvent.COMPLETED;
        reg.announce(done, NOW, true, false, new Collect(), reply);
        assertEquals(2, reply.seeders);
        assertEquals(0, reply.leechers);
        assertEquals(1, reply.completed);
        AnnounceRequest stop = request(1, 0x0A000002, 1000, 0);
        stop.event = AnnounceEvent.STOPPED;
        reg.announce(stop, NOW, true, false, new Collect(), reply);
        assertEquals(1, reply.seeders);
        assertEquals(1, reg.peers());
    }

    @Test
    void shouldReturnRandomSubsetOfNumwantWithoutSelfWhenSwarmIsLarge() {
        SwarmRegistry reg = registry(10, 10_000, 10_000);
        for (int i = 0; i < 1000; i++) {
            reg.announce(request(1, 0x0A000000 + i, 6881, 1), NOW, true, false, new Collect(), reply);
        }
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 20; round++) {
            AnnounceRequest me = request(1, 0x0A000000, 6881, 1);
            me.numwant = 30;
            Collect c = new Collect();
            reg.announce(me, NOW, true, false, c, reply);
            assertEquals(30, c.v4.size());
            assertEquals(30, new HashSet<>(c.v4).size(), "no duplicates");
            assertFalse(c.v4.contains(0x0A000000L << 16 | 6881), "never the asker itself");
            seen.addAll(c.v4);
        }
        assertTrue(seen.size() > 300, "selections differ between announces: " + seen.size());
    }

    @Test
    void shouldGiveSeedersOnlyLeechersWhenSeederAsks() {
        SwarmRegistry reg = registry(10, 100, 100);
        for (int i = 1; i <= 10; i++) {
            reg.announce(request(1, i, 1, i % 2), NOW, true, false, new Collect(), reply);
        }
        Collect c = new Collect();
        reg.announce(request(1, 99, 1, 0), NOW, true, false, c, reply);
        assertEquals(5, c.v4.size());
        for (long p : c.v4) {
            assertEquals(1, (p >>> 16) % 2, "odd addresses are the leechers");
        }
    }

    @Test
    void shouldExpirePeersAndForgetIdleSwarmsWhenSwept() {
        SwarmRegistry reg = registry(10, 100, 100);
        reg.announce(request(1, 1, 1, 1), NOW, true, false, new Collect(), reply);
        reg.announce(request(1, 2, 1, 1), NOW + 50, true, false, new Collect(), reply);
        reg.sweep(NOW + 70, 1 << 20);
        assertEquals(1, reg.peers());
        assertEquals(1, reg.peersExpired());
        reg.sweep(NOW + 50 + 61 + 601, 1 << 20);
        assertEquals(0, reg.peers());
        assertEquals(0, reg.torrents());
    }

    @Test
    void shouldStayWithinCapsByEvictingOldestWhenFull() {
        SwarmRegistry reg = registry(4, 50, 20);
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 30; p++) {
                reg.announce(request(t, p, 1, 1), NOW + t * 30 + p, true, false, new Collect(), reply);
                assertTrue(reg.torrents() <= 4);
                assertTrue(reg.peers() <= 50);
                assertTrue(reply.seeders + reply.leechers <= 20);
            }
        }
        assertTrue(reg.torrentsEvicted() >= 6);
        assertTrue(reg.peersEvicted() > 0);
    }

    @Test
    void shouldRefuseHashesOutsideAllowListWhenOneIsSet() {
        byte[] allowed = request(1, 0, 0, 0).infoHash;
        SwarmRegistry reg = new SwarmRegistry(RegistryLimits.defaults(60), List.of(allowed), 1);
        assertEquals(SwarmRegistry.OK, reg.announce(request(1, 1, 1, 1), NOW, true, false, new Collect(), reply));
        assertEquals(SwarmRegistry.NOT_ALLOWED,
            reg.announce(request(2, 1, 1, 1), NOW, true, false, new Collect(), reply));
        assertEquals(SwarmRegistry.NOT_ALLOWED, reg.scrape(request(2, 0, 0, 0).infoHash, reply));
    }

    @Test
    void shouldMatchModelWhenManyPeersComeAndGo() {
        SwarmRegistry reg = registry(100, 1_000_000, 1_000_000);
        Map<Long, Boolean> model = new HashMap<>();
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int ip = rnd.nextInt(5000);
            int port = 1 + rnd.nextInt(3);
            AnnounceRequest r = request(3, ip, port, rnd.nextInt(2));
            long key = (long) ip << 16 | port;
            if (rnd.nextInt(4) == 0) {
                r.event = AnnounceEvent.STOPPED;
                model.remove(key);
            } else {
                model.put(key, r.left == 0);
            }
            r.numwant = 0;
            reg.announce(r, NOW, true, false, new Collect(), reply);
        }
        long seeders = model.values().stream().filter(b -> b).count();
        assertEquals(model.size(), reg.peers());
        assertEquals(seeders, reply.seeders);
        assertEquals(model.size() - seeders, reply.leechers);
        AnnounceRequest all = request(3, 9999, 9, 1);
        all.numwant = 100;
        Collect c = new Collect();
        reg.announce(all, NOW, true, false, c, reply);
        for (long p : c.v4) {
            assertTrue(model.containsKey(p), "selected peer is a live one");
        }
    }

    @Test
    void shouldKeepIpv6PeersApartAndReportUdpEndpointWhenAnnouncedOverUdp() {
        SwarmRegistry reg = registry(10, 100, 100);
        AnnounceRequest v6 = request(1, 0, 7000, 1);
        v6.ipv6 = new byte[16];
        v6.ipv6[15] = 1;
        reg.announce(v6, NOW, true, true, new Collect(), reply);
        AnnounceRequest udp = request(1, 0x0A000001, 6881, 1);
        udp.sourcePort = 40000;
        Collect c = new Collect();
        reg.announce(udp, NOW, true, true, c, reply);
        assertEquals(List.of(7000), c.v6Ports);
        assertEquals(0x0A000001L << 16 | 40000, reg.udpEndpoint(udp.infoHash, 0x0A000001, 6881, NOW));
        assertEquals(-1, reg.udpEndpoint(udp.infoHash, 0x0A000001, 6882, NOW));
        assertEquals(-1, reg.udpEndpoint(udp.infoHash, 0x0A000001, 6881, NOW + 61));
    }
}
