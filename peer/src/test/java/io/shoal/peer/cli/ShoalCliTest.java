package io.shoal.peer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.rudp.cc.CongestionControl;
import io.shoal.rudp.perf.PerfProfile;
import io.shoal.rudp.perf.PerfServer;
import io.shoal.rudp.perf.PerfSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ShoalCliTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void shouldListCommandsWhenAskedForHelp() {
        CliRun r = run("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("demo") && r.out().contains("perf"), r.out());
    }

    @Test
    void shouldPrintOneLineAndExit2WhenOptionIsUnknown() {
        CliRun r = run("perf", "client", "127.0.0.1:9000", "--frobnicate");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("shoal: Unknown option: '--frobnicate'"), r.err());
    }

    @Test
    void shouldExit2WhenHostPortIsMalformed() {
        for (String bad : new String[] {"localhost", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:0", "::1:9"}) {
            CliRun r = run("perf", "client", bad);
            assertEquals(2, r.exit(), bad + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void shouldExit2WhenCommandIsMissing() {
        assertEquals(2, run().exit());
        assertEquals(2, run("perf").exit());
    }

    @Test
    void shouldEndWithJsonSummaryWhenPerfClientRuns() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        PerfSettings settings = new PerfSettings("turbo", CongestionControl.NONE, 1400, 2048);
        try (PerfServer server = PerfServer.start(new InetSocketAddress(loopback, 0), settings, line -> { })) {
            CliRun r = run("perf", "client", "127.0.0.1:" + server.localAddress().getPort(), "--seconds", "1",
                "--json", "--cc", "none", "--window", "512", "--conv", "4000000000");
            assertEquals(0, r.exit(), r.err());
            JsonNode json = new ObjectMapper().readTree(r.lastOutLine());
            for (String field : new String[] {"goodput_mbps", "retransmits", "rtt_ms_p50", "rtt_ms_p99", "bytes",
                "seconds", "cpu_ms", "mode", "cc", "flushes_limited_cwnd", "flushes_limited_window",
                "flushes_limited_pacing", "flushes_limited_app"}) {
                assertTrue(json.has(field), field + " missing in " + json);
            }
            assertTrue(json.get("bytes").asLong() > 0, json.toString());
            assertTrue(json.get("flushes_limited_app").asLong() + json.get("flushes_limited_window").asLong()
                + json.get("flushes_limited_pacing").asLong() + json.get("flushes_limited_cwnd").asLong() > 0,
                "every flush counts as limited by something: " + json);
            assertTrue(r.out().contains("flushes limited by cwnd "), r.out());
            assertTrue(json.get("goodput_mbps").asDouble() > 0, json.toString());
            assertEquals("none", json.get("cc").asText());
            assertEquals("turbo", json.get("mode").asText());
            assertEquals(4_000_000_000L, json.get("conv").asLong());
        }
    }

    @Test
    void shouldReportEachConnectionAndTheSumWhenPerfClientRunsInParallel() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        PerfSettings settings = new PerfSettings("turbo", CongestionControl.NONE, 1400, 512)
            .withProfile(PerfProfile.RAW);
        try (PerfServer server = PerfServer.start(new InetSocketAddress(loopback, 0), settings, line -> { })) {
            CliRun r = run("perf", "client", "127.0.0.1:" + server.localAddress().getPort(), "--seconds", "1",
                "--json", "--cc", "none", "--window", "512", "--profile", "raw", "--parallel", "2", "--conv", "10");
            assertEquals(0, r.exit(), r.err());
            JsonNode json = new ObjectMapper().readTree(r.lastOutLine());
            assertEquals("raw", json.get("profile").asText());
            assertEquals(2, json.get("parallel").asInt());
            JsonNode each = json.get("connections");
            assertEquals(2, each.size(), json.toString());
            assertEquals(10, each.get(0).get("conv").asLong());
            assertEquals(11, each.get(1).get("conv").asLong());
            assertEquals(each.get(0).get("bytes").asLong() + each.get(1).get("bytes").asLong(),
                json.get("bytes").asLong());
            assertTrue(r.out().contains("over 2 connections"), r.out());
        }
    }

    @Test
    void shouldRefuseUnknownPerfProfileWithUsageError() {
        CliRun r = run("perf", "client", "127.0.0.1:9000", "--profile", "quic");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("expected secure or raw"), r.err());
    }

    @Test
    void shouldRefuseUnknownPerfCipherWithUsageError() {
        CliRun r = run("perf", "client", "127.0.0.1:9000", "--cipher", "des");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("expected auto, aes-128-gcm, aes-256-gcm or chacha20-poly1305"), r.err());
    }

    @Test
    void shouldVerifySmallFileWhenDemoRunsWithoutImpairment() {
        CliRun r = run("demo", "--stream", "--size", "256k", "--loss", "0", "--delay-ms", "1", "--jitter-ms", "0",
            "--cc", "none");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("MATCH"), r.out());
    }

    @Test
    void shouldVerifyFileWhenRelayDropsAndDelays() {
        CliRun r = run("demo", "--stream", "--size", "1M", "--loss", "5", "--delay-ms", "5", "--jitter-ms", "2",
            "--seed", "3", "--cc", "kcp", "--mode", "fast");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("MATCH"), r.out());
        assertTrue(r.out().contains("dropped"), r.out());
    }
}
