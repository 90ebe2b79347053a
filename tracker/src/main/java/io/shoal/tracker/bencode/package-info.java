/**
 * A bounded, validating bencode scanner (BEP 3), shared by the tracker (HTTP replies) and the peer (metainfo, resume
 * data, extension handshakes); it lives in this module because the peer depends on the tracker. It checks
 * structure, integer format and limits without building objects, and reports the raw byte span of a dictionary value, which is what the info hash is computed over.
 * Decoding into maps and lists is left to the {@code com.dampcake.bencode} library, after this scanner has
 * validated the input (that library recurses without a depth limit, so it only ever sees checked input).
 *
 * <p>Nothing in this package is null unless its Javadoc says so.
 */
package io.shoal.tracker.bencode;
