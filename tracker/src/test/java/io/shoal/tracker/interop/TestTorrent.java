package io.shoal.tracker.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.shoal.tracker.wire.BencodeWriter;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A one-file, one-piece .torrent pointing at a tracker URL, for real clients; the info hash is computed too. */
record TestTorrent(byte[] bytes, byte[] infoHash) {
    static TestTorrent of(String announceUrl, String name, byte[] content) throws NoSuchAlgorithmException {
        ByteBuf info = Unpooled.buffer();
        ByteBuf all = Unpooled.buffer();
        try {
            BencodeWriter.beginDict(info);
            BencodeWriter.text(info, "length");
            BencodeWriter.integer(info, content.length);
            BencodeWriter.text(info, "name");
            BencodeWriter.text(info, name);
            BencodeWriter.text(info, "piece length");
            BencodeWriter.integer(info, 1 << 18);
            BencodeWriter.text(info, "pieces");
            byte[] piece = MessageDigest.getInstance("SHA-1").digest(content);
            BencodeWriter.bytes(info, piece, 0, piece.length);
            BencodeWriter.end(info);
            byte[] infoBytes = ByteBufUtil.getBytes(info);
            BencodeWriter.beginDict(all);
            BencodeWriter.text(all, "announce");
            BencodeWriter.text(all, announceUrl);
            BencodeWriter.text(all, "info");
            all.writeBytes(infoBytes);
            BencodeWriter.end(all);
            return new TestTorrent(ByteBufUtil.getBytes(all), MessageDigest.getInstance("SHA-1").digest(infoBytes));
        } finally {
            info.release();
            all.release();
        }
    }
}
