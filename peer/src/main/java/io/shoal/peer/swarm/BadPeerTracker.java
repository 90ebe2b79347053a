package io.shoal.peer.swarm;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Finds peers that send bad data and bans their addresses for the session. It remembers which peer delivered each
 * block of every piece in progress. When a piece fails its hash:
 * <ul>
 *   <li>a sole contributor is banned at once;</li>
 *   <li>with several contributors each gets a strike and a SHA-256 of every block as received is kept. When the
 *       piece later passes, each kept block hash is compared with the good block: whoever sent a block that differs
 *       is the liar and is banned (libtorrent's and anacrolix's smart ban), and the others get their strike back.
 *       If the piece fails again instead, the one peer present both times is banned. The {@link PiecePicker}
 *       fetches a failed piece from one peer only, so a repeat failure usually has a sole contributor.
 *       Optionally {@code maxStrikes} unresolved strikes also ban (Transmission bans after 5 bad pieces).</li>
 * </ul>
 * Piece data is borrowed for the duration of a call and never kept. Failed-piece records are capped at
 * {@code maxRecords} (oldest dropped) so a flood of bad pieces cannot grow memory without bound. Not thread-safe.
 */
public final class BadPeerTracker {
    private record FailedPiece(int[] contributors, byte[][] blockHashes) { }

    private final BlockLayout layout;
    private final int maxStrikes;
    private final int maxRecords;
    private final int[] contributor;
    private final Map<Integer, InetAddress> addresses = new HashMap<>();
    private final Map<Integer, Integer> strikes = new HashMap<>();
    private final Set<InetAddress> banned = new HashSet<>();
    private final Map<Integer, FailedPiece> failed = new LinkedHashMap<>();
    private final MessageDigest sha256;
    private int[] newlyBanned = new int[4];
    private int newlyBannedCount;

    /**
     * @param maxStrikes unresolved strikes that ban a peer; 0 bans only on evidence (sole contributor, the one peer
     *                   common to two failures, or a block hash that differs from the good piece). A fixed limit can
     *                   ban an honest peer that shared several pieces with a fast liar before any piece was resolved.
     * @param maxRecords failed pieces remembered for smart ban
     */
    public BadPeerTracker(BlockLayout layout, int maxStrikes, int maxRecords) {
        if (maxStrikes < 0 || maxRecords < 1) {
            throw new IllegalArgumentException("maxStrikes must be >= 0 and maxRecords positive");
        }
        this.layout = layout;
        this.maxStrikes = maxStrikes;
        this.maxRecords = maxRecords;
        this.contributor = new int[layout.blockSlots()];
        Arrays.fill(contributor, -1);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A peer connected from {@code address}; false when that address is banned (refuse the connection). */
    public boolean onPeerConnected(int peer, InetAddress address) {
        if (banned.contains(address)) {
            return false;
        }
        // Kept after the peer leaves: a liar that disconnects before its piece fails must still be banned.
        addresses.put(peer, address);
        return true;
    }

    public boolean isBanned(InetAddress address) {
        return banned.contains(address);
    }

    public boolean isBannedPeer(int peer) {
        InetAddress a = addresses.get(peer);
        return a != null && banned.contains(a);
    }

    public int strikes(int peer) {
        return strikes.getOrDefault(peer, 0);
    }

    /** {@code peer} delivered {@code block} (the picker accepted it). */
    public void onBlockStored(int peer, int block) {
        if (block >= 0 && block < contributor.length) {
            contributor[block] = peer;
        }
    }

    /**
     * {@code piece} failed its hash; {@code pieceData} holds the data as received (borrowed; position to limit, the
     * whole piece). Returns how many peers this banned; read them with {@link #newlyBanned(int)}.
     */
    public int onPieceFailed(int piece, ByteBuffer pieceData) {
        newlyBannedCount = 0;
        int first = layout.firstBlock(piece);
        int count = layout.blockCount(piece);
        int sole = contributor[first];
        for (int b = first; b < first + count; b++) {
            if (contributor[b] != sole) {
                sole = -2;
                break;
            }
        }
        if (sole >= 0) {
            ban(sole);
        } else if (sole == -2) {
            int[] who = Arrays.copyOfRange(contributor, first, first + count);
            FailedPiece before = failed.get(piece);
            if (before != null) {
                banSoleCommon(before.contributors(), who);
            }
            failed.putIfAbsent(piece, new FailedPiece(who, hashBlocks(piece, pieceData)));
            while (failed.size() > maxRecords) {
                failed.remove(failed.keySet().iterator().next());
            }
            for (int i = 0; i < who.length; i++) {
                if (who[i] >= 0 && indexOf(who, who[i]) == i) {
                    strike(who[i]);
                }
            }
        }
        Arrays.fill(contributor, first, first + count, -1);
        return newlyBannedCount;
    }

    /** True when {@link #onPiecePassed} needs the piece's data (it failed before, so blocks can be compared). */
    public boolean needsDataOnPass(int piece) {
        return failed.containsKey(piece);
    }

    /**
     * {@code piece} passed its hash. If it failed before, {@code pieceData} (borrowed, may be null otherwise) is
     * compared block by block with what each contributor sent then, and every peer whose block differed is banned.
     * Returns how many peers this banned.
     */
    public int onPiecePassed(int piece, ByteBuffer pieceData) {
        newlyBannedCount = 0;
        int first = layout.firstBlock(piece);
        Arrays.fill(contributor, first, first + layout.blockCount(piece), -1);
        FailedPiece record = failed.remove(piece);
        if (record == null || pieceData == null) {
            return 0;
        }
        byte[][] good = hashBlocks(piece, pieceData);
        int[] who = record.contributors();
        for (int i = 0; i < good.length; i++) {
            if (who[i] >= 0 && !Arrays.equals(good[i], record.blockHashes()[i])) {
                ban(who[i]);
            }
        }
        // Everyone whose blocks were all good is cleared of this piece's strike, so honest peers that happened to
        // share pieces with a liar do not drift towards the strike limit.
        for (int i = 0; i < who.length; i++) {
            if (who[i] >= 0 && indexOf(who, who[i]) == i && !isBannedPeer(who[i])) {
                strikes.computeIfPresent(who[i], (k, v) -> v > 1 ? v - 1 : null);
            }
        }
        return newlyBannedCount;
    }

    /** The i-th peer banned by the last verdict call. */
    public int newlyBanned(int i) {
        return newlyBanned[i];
    }

    private byte[][] hashBlocks(int piece, ByteBuffer data) {
        int count = layout.blockCount(piece);
        byte[][] hashes = new byte[count][];
        ByteBuffer view = data.duplicate();
        int base = view.position();
        for (int i = 0; i < count; i++) {
            int begin = i * layout.blockBytes();
            int end = Math.min(begin + layout.blockBytes(), layout.pieceLength(piece));
            if (base + end > view.limit()) {
                hashes[i] = new byte[0];
                continue;
            }
            view.limit(base + end).position(base + begin);
            sha256.update(view);
            hashes[i] = sha256.digest();
            view.limit(data.limit());
        }
        return hashes;
    }

    /** A piece failed twice, both times with several contributors: if exactly one peer was in both, it is the one. */
    private void banSoleCommon(int[] before, int[] now) {
        int common = -1;
        for (int i = 0; i < now.length; i++) {
            int peer = now[i];
            if (peer >= 0 && peer != common && indexOf(before, peer) >= 0) {
                if (common >= 0) {
                    return;
                }
                common = peer;
            }
        }
        if (common >= 0) {
            ban(common);
        }
    }

    private void strike(int peer) {
        int n = strikes.merge(peer, 1, Integer::sum);
        if (maxStrikes > 0 && n >= maxStrikes) {
            ban(peer);
        }
    }

    private void ban(int peer) {
        InetAddress a = addresses.get(peer);
        if (a == null || !banned.add(a)) {
            return;
        }
        if (newlyBannedCount == newlyBanned.length) {
            newlyBanned = Arrays.copyOf(newlyBanned, newlyBannedCount * 2);
        }
        newlyBanned[newlyBannedCount++] = peer;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
