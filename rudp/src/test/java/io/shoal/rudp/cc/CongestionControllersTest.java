package io.shoal.rudp.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.api.Test;

/** {@link CongestionControllers#create} and the {@code none} controller. */
class CongestionControllersTest {
    private static final CcParams PARAMS = new CcParams(1376, 2, 100_000_000L, 256);

    @Test
    void shouldMakeTheControllerNamedByEachConstant() {
        assertInstanceOf(KcpClassicController.class, CongestionControllers.create(CongestionControl.KCP, PARAMS));
        assertInstanceOf(NoCongestionController.class, CongestionControllers.create(CongestionControl.NONE, PARAMS));
        assertInstanceOf(CubicController.class, CongestionControllers.create(CongestionControl.CUBIC, PARAMS));
        assertInstanceOf(BbrController.class, CongestionControllers.create(CongestionControl.BBR, PARAMS));
        for (CongestionControl cc : CongestionControl.values()) {
            assertEquals(cc.cliName(), CongestionControllers.create(cc, PARAMS).name());
        }
    }

    @Test
    void shouldMakeANewControllerPerCall() {
        for (CongestionControl cc : CongestionControl.values()) {
            assertNotSame(CongestionControllers.create(cc, PARAMS), CongestionControllers.create(cc, PARAMS));
        }
    }

    @Test
    void shouldLeaveTheWindowUnlimitedAndUnpacedWhenLossIsReported() {
        CongestionController none = CongestionControllers.create(CongestionControl.NONE, PARAMS);
        RateSample sample = new RateSample();
        none.onFlushStart(0);
        none.onSent(0, 1376, 1, false);
        none.onAck(1, 1, 1376, 1, 128, sample);
        none.onFastRetransmit(2, 5, 100);
        none.onRetransmitTimeout(3, 100);
        none.onFlushEnd(3);
        assertEquals(CongestionController.UNLIMITED, none.cwndSegments());
        assertEquals(0, none.pacingRateBytesPerSecond());
    }
}
