//! monban-core
