package io.shoal.netem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the UDP proxy counts the rebindings its toxics ask for, on a fixed clock (no sockets). */
class RebindEpochTest {
    private static final long ADDED_NS = 5_000_000_000L;
    private static final long MS = 1_000_000L;

    private static Toxic toxic(String name, ToxicType type, ToxicStream stream, double... values) {
        return new Toxic(name, type, stream, 1.0, values, ADDED_NS);
    }

    @Test
    void shouldCountRebindsPerIntervalAndOneResetOnceItsTimeoutPassesWhenBothStreamsHaveToxics() {
        ToxicChain chain = new ToxicChain(() -> { });
        chain.add(toxic("rebind", ToxicType.REBIND, ToxicStream.UPSTREAM, 100));
        chain.add(toxic("reset", ToxicType.RESET_PEER, ToxicStream.DOWNSTREAM, 50));
        assertEquals(0, RebindEpoch.at(chain, ADDED_NS - MS), "before the toxics were added");
        assertEquals(1, RebindEpoch.at(chain, ADDED_NS), "a rebind acts at once");
        assertEquals(2, RebindEpoch.at(chain, ADDED_NS + 50 * MS), "reset_peer after its timeout");
        assertEquals(4, RebindEpoch.at(chain, ADDED_NS + 250 * MS), "rebinds at 0, 100 and 200 ms, one reset");
    }

    @Test
    void shouldRebindOnceWhenIntervalIsZeroAndCountTimeoutOnlyWhenPositive() {
        ToxicChain chain = new ToxicChain(() -> { });
        chain.add(toxic("once", ToxicType.REBIND, ToxicStream.DOWNSTREAM, 0));
        chain.add(toxic("blackhole", ToxicType.TIMEOUT, ToxicStream.UPSTREAM, 0));
        chain.add(toxic("forget", ToxicType.TIMEOUT, ToxicStream.DOWNSTREAM, 30));
        chain.add(toxic("latency", ToxicType.LATENCY, ToxicStream.UPSTREAM, 20, 0));
        assertEquals(1, RebindEpoch.at(chain, ADDED_NS + 29 * MS));
        assertEquals(2, RebindEpoch.at(chain, ADDED_NS + 10_000 * MS), "timeout 0 never forgets the mapping");
    }
}
