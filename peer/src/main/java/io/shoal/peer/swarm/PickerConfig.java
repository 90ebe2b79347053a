package io.shoal.peer.swarm;

/**
 * Knobs of the {@link PiecePicker}.
 *
 * @param randomFirstPieces   until this many pieces are verified, new pieces are picked at random rather than rarest
 *                            first, to have something to trade quickly (libtorrent {@code initial_picker_threshold} 4)
 * @param sequential          pick new pieces in index order from the first missing one (streaming)
 * @param readaheadPieces     in sequential mode, how far past the first missing piece the in-order window reaches;
 *                            beyond it pieces are picked rarest first so the swarm still gets rare data to trade
 * @param endgameMaxRequests  in endgame, at most this many peers are asked for the same block at once (bounded
 *                            duplication), at least 1
 */
public record PickerConfig(int randomFirstPieces, boolean sequential, int readaheadPieces, int endgameMaxRequests) {
    public PickerConfig {
        if (randomFirstPieces < 0 || readaheadPieces < 1 || endgameMaxRequests < 1) {
            throw new IllegalArgumentException("bad picker config");
        }
    }

    /** Rarest first after 4 random pieces; endgame asks at most 2 peers per block. */
    public static PickerConfig rarestFirst() {
        return new PickerConfig(4, false, 1, 2);
    }

    /** Sequential (streaming) with a readahead window of {@code readaheadPieces}. */
    public static PickerConfig sequential(int readaheadPieces) {
        return new PickerConfig(0, true, readaheadPieces, 2);
    }
}
