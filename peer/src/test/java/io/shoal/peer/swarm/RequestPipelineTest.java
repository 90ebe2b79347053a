package io.shoal.peer.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestPipelineTest {
    private static final long MS = 1_000_000L;

    private static RequestPipeline fed(long bytesPerSecond, long rttNs) {
        RequestPipeline pipeline = new RequestPipeline(PipelineConfig.defaults());
        for (int i = 0; i < 40; i++) {
            pipeline.onRttSample(rttNs);
        }
        long gapNs = 16_384L * 1_000_000_000L / bytesPerSecond;
        for (long t = 0; t < 20_000 * MS; t += gapNs) {
            pipeline.onBlockReceived(16_384, t);
        }
        return pipeline;
    }

    @Test
    void shouldReportMeasuredRttOnlyWhenTheTransportGaveOne() {
        RequestPipeline pipeline = new RequestPipeline(PipelineConfig.defaults());
        assertFalse(pipeline.rttMeasured(), "the initial guess is not a measurement");
        pipeline.onRttSample(0);
        assertFalse(pipeline.rttMeasured(), "a non-positive sample is ignored");
        pipeline.onRttSample(150 * MS);
        assertTrue(pipeline.rttMeasured());
        assertEquals(150 * MS, pipeline.srttNs(), "the first sample replaces the guess, even above it");
        RequestPipeline kcp = new RequestPipeline(PipelineConfig.defaults());
        kcp.onSmoothedRtt(7 * MS);
        assertTrue(kcp.rttMeasured());
    }

    @Test
    void shouldSizeDepthFromRateAndRtt() {
        RequestPipeline pipeline = fed(10 * 1024 * 1024, 100 * MS);
        long now = 20_000 * MS;
        int depth = pipeline.depth(now);
        // 10 MiB/s * 0.6 s / 16 KiB = 384 blocks, capped at 250.
        assertEquals(250, depth);
        pipeline.onPeerReqq(64);
        assertEquals(64, pipeline.depth(now), "the peer's BEP 10 reqq caps the depth");
        assertEquals(2, pipeline.speedClass(now));
    }

    @Test
    void shouldAskANewPeerForAPathsWorthUntilItsRateIsKnown() {
        RequestPipeline fresh = new RequestPipeline(PipelineConfig.defaults());
        assertEquals(32, fresh.depth(0), "before any block: 512 KiB, not 2 blocks");
        fresh.onBlockReceived(16_384, 1_000 * MS);
        assertEquals(32, fresh.depth(1_400 * MS), "the estimate is younger than its time constant");
        assertEquals(2, fresh.depth(1_600 * MS), "one block in 0.6 s is a slow peer: back to the minimum");
        fresh.onPeerReqq(8);
        assertEquals(2, fresh.depth(1_600 * MS));
        RequestPipeline small = new RequestPipeline(PipelineConfig.defaults());
        small.onPeerReqq(8);
        assertEquals(8, small.depth(0), "the peer's reqq caps the initial depth too");
    }

    @Test
    void shouldKeepMinimumDepthWhenSlow() {
        RequestPipeline fresh = new RequestPipeline(PipelineConfig.defaults());
        assertEquals(60_000 * MS, fresh.requestTimeoutNs(2, 0));
        RequestPipeline slow = fed(64 * 1024, 50 * MS);
        int depth = slow.depth(20_000 * MS);
        assertTrue(depth >= 2 && depth <= 4, "64 KiB/s * 0.55 s is about 2 blocks: " + depth);
        assertEquals(0, slow.speedClass(20_000 * MS));
        long timeout = slow.requestTimeoutNs(depth, 20_000 * MS);
        assertTrue(timeout >= 5_000 * MS && timeout < 60_000 * MS, "timeout " + timeout);
    }
}
