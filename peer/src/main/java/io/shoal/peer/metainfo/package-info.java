/**
 * BEP 3 metainfo: {@link io.shoal.peer.metainfo.MetainfoReader} reads {@code .torrent} files (the info hash is the
 * SHA-1 of the raw {@code info} bytes as found, never of a re-encoding), {@link io.shoal.peer.metainfo.TorrentBuilder}
 * makes them from a file or folder, {@link io.shoal.peer.metainfo.MetainfoWriter} writes them, and
 * {@link io.shoal.peer.metainfo.MagnetLink} parses and formats BEP 9 magnet links.
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.peer.metainfo;
