/**
 * {@code bench/run loopback}: end-to-end goodput on 127.0.0.1, shoal's raw KCP profile ({@code shoal perf}) against
 * kcptun, each side in processes of its own, every process ended when a run ends.
 */
package io.shoal.bench.loopback;
