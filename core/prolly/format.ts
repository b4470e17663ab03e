/**
 * Tree format v1 (see docs/hashing.md). These numbers decide where nodes split, so they are
 * part of every snapshot hash: changing any of them changes every hash. Do not edit; add a v2.
 *
 * Nodes aim at ~4 KiB of canonical JSON: small enough that an edit rewrites little and a diff
 * reads little, large enough that a million items need only four levels.
 */
export const TARGET_NODE_BYTES = 4096;
/** No boundary before a node holds this many bytes (avoids tiny nodes). */
export const MIN_NODE_BYTES = 512;
/** A boundary is forced here, so crafted keys cannot build one giant node. */
export const MAX_NODE_BYTES = 16384;
