//! monban-store
