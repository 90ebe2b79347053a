/**
 * BEP 9 ({@code ut_metadata}): fetching a torrent's {@code info} dictionary from peers when all we have is a magnet
 * link, and serving ours to peers that ask. Sans-IO: {@link io.shoal.peer.metadata.MetadataCodec} turns extension
 * payloads into {@link io.shoal.peer.metadata.MetadataMessage}s and back, {@link io.shoal.peer.metadata.MetadataFetcher}
 * decides which 16 KiB piece to ask which peer for and checks the assembled bytes against the info hash,
 * {@link io.shoal.peer.metadata.MetadataServer} answers requests. The peer session carries the bytes.
 */
package io.shoal.peer.metadata;
