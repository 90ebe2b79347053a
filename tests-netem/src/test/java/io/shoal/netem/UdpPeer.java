package io.shoal.netem;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A blocking UDP socket on loopback for tests: sends numbered datagrams ({@code long} sequence, {@code long} send
 * time in ns, then a pattern) and receives with a deadline.
 */
final class UdpPeer implements AutoCloseable {
    /** One received datagram. */
    record Received(long seq, long sentNs, long receivedNs, byte[] payload, InetSocketAddress from) {
        /** True when the bytes after the header still follow the sender's pattern. */
        boolean intact() {
            for (int i = 16; i < payload.length; i++) {
                if (payload[i] != (byte) (seq + i)) {
                    return false;
                }
            }
            return true;
        }
    }

    final DatagramSocket socket;
    private final byte[] buffer = new byte[65536];
    private Thread collector;

    UdpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setReceiveBufferSize(8 << 20);
        socket.setSendBufferSize(8 << 20);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    String udpUrl() {
        return "udp://127.0.0.1:" + address().getPort();
    }

    void send(InetSocketAddress to, long seq, int size) throws IOException {
        byte[] d = new byte[Math.max(16, size)];
        ByteBuffer.wrap(d).putLong(seq).putLong(System.nanoTime());
        for (int i = 16; i < d.length; i++) {
            d[i] = (byte) (seq + i);
        }
        socket.send(new DatagramPacket(d, d.length, to));
    }

    void sendRaw(InetSocketAddress to, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, to));
    }

    /** The next datagram, or null when none arrives within {@code timeoutMs}. */
    Received receive(int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        long now = System.nanoTime();
        byte[] payload = Arrays.copyOf(p.getData(), p.getLength());
        ByteBuffer b = ByteBuffer.wrap(payload);
        long seq = payload.length >= 8 ? b.getLong() : -1;
        long sent = payload.length >= 16 ? b.getLong() : 0;
        return new Received(seq, sent, now, payload, (InetSocketAddress) p.getSocketAddress());
    }

    /**
     * Receives on a daemon thread from now on into the returned list (synchronized; read it under its lock), and
     * echoes every datagram back to its sender when {@code echo}.
     */
    List<Received> collect(boolean echo) {
        List<Received> received = Collections.synchronizedList(new ArrayList<>());
        collector = new Thread(() -> {
            try {
                while (!socket.isClosed()) {
                    Received r = receive(0);
                    received.add(r);
                    if (echo) {
                        sendRaw(r.from(), r.payload());
                    }
                }
            } catch (IOException closed) {
                // the socket was closed: the test is over
            }
        }, "udp-peer-" + address().getPort());
        collector.setDaemon(true);
        collector.start();
        return received;
    }

    @Override
    public void close() {
        socket.close();
        if (collector != null) {
            try {
                collector.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
