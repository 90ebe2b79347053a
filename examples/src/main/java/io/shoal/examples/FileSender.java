package io.shoal.examples;

import io.shoal.rudp.crypto.PeerKey;
import io.shoal.rudp.socket.RudpSocket;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Sends one file on the blocking API: {@link RudpSocket#connect} and its {@code OutputStream}, like a TCP socket
 * (writes block while rudp's windows are full). Sends a {@link FileHeader} and the bytes, prints the SHA-256, then
 * reads the receiver's SHA-256 and compares.
 *
 * <p>Run: {@code examples/run FileSender HOST:PORT FILE [SERVER_KEY]}.
 */
public final class FileSender {
    private static final int COPY_BYTES = 64 * 1024;

    private FileSender() {
    }

    /**
     * Sends {@code file} to a {@link FileReceiver}.
     *
     * @param serverKey the receiver's key to pin, or null to learn it
     * @return the SHA-256 both sides computed
     * @throws IOException on a network failure, or when the receiver's SHA-256 differs
     */
    public static byte[] send(final InetSocketAddress server, final PeerKey serverKey, final Path file)
            throws IOException {
        final FileHeader header = new FileHeader(file.getFileName().toString(), Files.size(file));
        final MessageDigest sha = FileDigest.sha256();
        // close() is graceful: it returns once everything written was delivered and the connection ended.
        try (RudpSocket socket = RudpSocket.connect(server, "server", ExampleSupport.clientConfig(true, serverKey));
             InputStream source = Files.newInputStream(file)) {
            socket.setSoTimeout(30_000);
            final DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(),
                    COPY_BYTES));
            header.writeTo(out);
            final byte[] buf = new byte[COPY_BYTES];
            int n;
            while ((n = source.read(buf)) > 0) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
            }
            out.flush(); // not close(): that would close the socket before the receiver's answer arrives
            final byte[] ours = sha.digest();
            final byte[] theirs = socket.getInputStream().readNBytes(FileDigest.BYTES);
            if (!Arrays.equals(ours, theirs)) {
                throw new IOException("the receiver's SHA-256 differs: " + FileDigest.hex(theirs));
            }
            return ours;
        }
    }

    public static void main(final String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: FileSender HOST:PORT FILE [SERVER_KEY]");
            System.exit(2);
        }
        final Path file = Path.of(args[1]);
        final byte[] sha = send(ExampleSupport.parseAddress(args[0]), ExampleSupport.optionalKey(args, 2), file);
        System.out.println("sent " + file.getFileName() + " (" + Files.size(file) + " bytes) sha256 "
                + FileDigest.hex(sha) + ", receiver agrees");
    }
}
