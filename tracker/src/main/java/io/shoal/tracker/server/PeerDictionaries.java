package io.shoal.tracker.server;

import io.netty.buffer.ByteBuf;
import io.shoal.tracker.wire.BencodeWriter;

/**
 * The BEP 3 non-compact peer list, for clients that send {@code compact=0}: a list of {@code {ip, port}}
 * dictionaries built from compact IPv4 (6-byte) and IPv6 (18-byte) entries. {@code peer id} is left out because the
 * registry does not store peer ids (as if {@code no_peer_id=1}, BEP 23).
 */
final class PeerDictionaries {
    private PeerDictionaries() {
    }

    static void write(ByteBuf v4, ByteBuf v6, ByteBuf out) {
        BencodeWriter.beginList(out);
        for (int i = v4.readerIndex(); i + 6 <= v4.writerIndex(); i += 6) {
            int ip = v4.getInt(i);
            entry(out, (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff),
                v4.getUnsignedShort(i + 4));
        }
        for (int i = v6.readerIndex(); i + 18 <= v6.writerIndex(); i += 18) {
            StringBuilder text = new StringBuilder(39);
            for (int g = 0; g < 8; g++) {
                text.append(g == 0 ? "" : ":").append(Integer.toHexString(v6.getUnsignedShort(i + 2 * g)));
            }
            entry(out, text.toString(), v6.getUnsignedShort(i + 16));
        }
        BencodeWriter.end(out);
    }

    private static void entry(ByteBuf out, String ip, int port) {
        BencodeWriter.beginDict(out);
        BencodeWriter.text(out, "ip");
        BencodeWriter.text(out, ip);
        BencodeWriter.text(out, "port");
        BencodeWriter.integer(out, port);
        BencodeWriter.end(out);
    }
}
