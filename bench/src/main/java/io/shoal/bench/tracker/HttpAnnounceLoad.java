package io.shoal.bench.tracker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * BEP 3 announce load over HTTP/1.1 keep-alive: {@code connections} threads, each with one connection sending a GET
 * and reading the whole reply before the next (no pipelining), reconnecting when the server closes. Requests use the
 * same torrents, random ports and {@code numwant=50} as {@link UdpAnnounceLoad}.
 */
public final class HttpAnnounceLoad {
    /** Replies per second and reconnections the server forced. */
    public record Result(double announcesPerSec, long reconnects) {
    }

    private HttpAnnounceLoad() {
    }

    public static Result run(InetSocketAddress tracker, byte[][] hashes, int connections, long durationMs, long seed)
        throws InterruptedException {
        LongAdder replies = new LongAdder();
        LongAdder reconnects = new LongAdder();
        long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs);
        List<Thread> threads = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            long threadSeed = seed + c;
            Thread t = new Thread(() -> loop(tracker, hashes, endNs, threadSeed, replies, reconnects),
                "http-load-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        return new Result(replies.sum() / seconds, reconnects.sum());
    }

    private static void loop(InetSocketAddress tracker, byte[][] hashes, long endNs, long seed, LongAdder replies,
                             LongAdder reconnects) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] encoded = new String[hashes.length];
        for (int i = 0; i < hashes.length; i++) {
            StringBuilder b = new StringBuilder(60);
            for (byte x : hashes[i]) {
                b.append('%').append(Character.forDigit(x >> 4 & 15, 16)).append(Character.forDigit(x & 15, 16));
            }
            encoded[i] = b.toString();
        }
        byte[] buf = new byte[8192];
        while (System.nanoTime() - endNs < 0) {
            try (Socket s = new Socket(tracker.getAddress(), tracker.getPort())) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
                while (System.nanoTime() - endNs < 0) {
                    String request = "GET /announce?info_hash=" + encoded[random.nextInt(encoded.length)]
                        + "&peer_id=-BE0001-" + Long.toHexString(random.nextLong() | 1L << 60).substring(0, 12)
                        + "&port=" + (1024 + random.nextInt(64000)) + "&uploaded=0&downloaded=0&left="
                        + random.nextInt(2) + "&compact=1&numwant=50 HTTP/1.1\r\nHost: t\r\n\r\n";
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (!readResponse(in, buf)) {
                        break;
                    }
                    replies.increment();
                }
            } catch (IOException e) {
                // connection refused or reset: count it and reconnect
            }
            reconnects.increment();
        }
        reconnects.decrement(); // the last close is ours, not the server's
    }

    /** Reads one response (headers, then Content-Length bytes); false when the server closes or says close. */
    private static boolean readResponse(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        int contentLength = -1;
        boolean close = false;
        int lineStart = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            buf[n++] = (byte) b;
            if (b == '\n') {
                String line = new String(buf, lineStart, n - lineStart, StandardCharsets.US_ASCII).trim();
                if (line.isEmpty()) {
                    break;
                }
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
                lineStart = n;
            }
            if (n == buf.length) {
                throw new IOException("headers too long");
            }
        }
        if (contentLength < 0) {
            return false;
        }
        in.readNBytes(contentLength);
        return !close;
    }
}
