/**
 * Torrent data on disk: {@link io.shoal.peer.storage.PathSanitizer} (every path from a torrent is checked and stays
 * under the download root), {@link io.shoal.peer.storage.PieceLayout} (pieces mapped onto files),
 * {@link io.shoal.peer.storage.FileStorage} (positional I/O, sparse files, piece verification),
 * {@link io.shoal.peer.storage.PieceVerifier} (SHA-1 on several cores) and {@link io.shoal.peer.storage.ResumeData}
 * (verified pieces survive a restart, even after {@code kill -9}). Knows nothing of the wire or of metainfo parsing.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.peer.storage;
