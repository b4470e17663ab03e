/**
 * Tree format v1 (see docs/hashing.md). These numbers decide where nodes split, so they are
 * part of every snapshot hash: changing any of them changes every hash. Do not edit; add a v2.
 *
 * Nodes aim at ~2 KiB of canonical JSON: a diff or commit reads and writes about one node per
 * level for each change, so smaller nodes make both cheaper (4 KiB nodes made a cold 1,000-change
 * diff of 1M items ~35% slower), while a million items still need only five levels.
 */
export const TARGET_NODE_BYTES = 2048;
/** No boundary before a node holds this many bytes (avoids tiny nodes). */
export const MIN_NODE_BYTES = 256;
/** A boundary is forced here, so crafted keys cannot build one giant node. */
export const MAX_NODE_BYTES = 8192;
