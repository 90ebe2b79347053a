/**
 * Per-torrent swarm decisions as sans-IO state machines: which blocks to request from which peer
 * ({@link io.shoal.peer.swarm.PiecePicker} over {@link io.shoal.peer.swarm.PieceAvailability}), how many requests to
 * keep in flight ({@link io.shoal.peer.swarm.RequestPipeline}), whom to upload to
 * ({@link io.shoal.peer.swarm.Choker}), how fast ({@link io.shoal.peer.swarm.RateLimiter}) and whom to refuse
 * ({@link io.shoal.peer.swarm.BadPeerTracker}). No sockets, threads or clocks: every time-dependent call takes
 * {@code nowNs}, and peers are small non-negative {@code int} ids chosen by the caller.
 *
 * <p>Every class here is confined to one thread (the torrent's event loop). Nothing in this package is null unless
 * its Javadoc says so.
 */
package io.shoal.peer.swarm;
