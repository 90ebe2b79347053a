package io.shoal.rudp.kcp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reference trace from {@code ../shared/vectors/kcp/}: the parameters of both C KCP instances, the dropped datagram
 * indices, the planned sends, every event line in order, and the final state line.
 */
final class KcpTrace {
    final String name;
    final Map<String, String> params = new HashMap<>();
    final Set<Integer> dropsA = new HashSet<>();
    final Set<Integer> dropsB = new HashSet<>();
    /** Event lines exactly as written (no comments). */
    final List<String> events = new ArrayList<>();
    /** Sends by millisecond: {time, message id, length}. */
    final List<int[]> sends = new ArrayList<>();
    String endLine;

    private KcpTrace(String name) {
        this.name = name;
    }

    /** The folder holding the vectors: {@code shared/vectors/kcp} beside the repository. */
    static Path vectorsDir() {
        String override = System.getProperty("shoal.vectors");
        if (override != null) {
            return Path.of(override);
        }
        // A copy of shared/vectors/kcp ships in the test resources, so a fresh clone replays them on its own.
        java.net.URL url = KcpTrace.class.getResource("/vectors/kcp/README.md");
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI()).getParent();
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return Path.of("../../shared/vectors/kcp");
    }

    static KcpTrace load(Path file) throws IOException {
        KcpTrace t = new KcpTrace(file.getFileName().toString());
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# params ")) {
                for (String kv : line.substring(9).trim().split("\\s+")) {
                    String[] p = kv.split("=", 2);
                    t.params.put(p[0], p[1]);
                }
            } else if (line.startsWith("# drops:")) {
                String[] halves = line.substring(8).split(";");
                parseDrops(halves[0], t.dropsA);
                parseDrops(halves[1], t.dropsB);
            } else if (line.startsWith("# end:")) {
                t.endLine = line;
            } else if (!line.startsWith("#") && !line.isBlank()) {
                t.events.add(line);
                String[] f = line.split(" ");
                if (f[2].equals("send")) {
                    t.sends.add(new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[3]),
                        Integer.parseInt(f[4].substring(4))});
                }
            }
        }
        return t;
    }

    private static void parseDrops(String half, Set<Integer> into) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("indices\\s+([-0-9,]+)").matcher(half);
        if (!m.find() || m.group(1).equals("-")) {
            return;
        }
        String list = m.group(1);
        for (String s : list.split(",")) {
            into.add(Integer.parseInt(s.trim()));
        }
    }

    int param(String key) {
        String v = params.get(key);
        return v.startsWith("0x") ? (int) Long.parseLong(v.substring(2), 16) : Integer.parseInt(v);
    }

    /** Payload byte k of message m, as the trace generator wrote it. */
    static byte payloadByte(int m, int k) {
        return (byte) ((m * 31 + k) % 251);
    }

    /** 32-bit FNV-1a of the bytes. */
    static int fnv1a(byte[] data) {
        int h = 0x811c9dc5;
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
