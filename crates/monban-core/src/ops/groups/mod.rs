//! groups operations.
